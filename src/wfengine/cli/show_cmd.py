"""``wfengine show``: what a package holds, at a glance or as JSON.

A modeller receiving a file from another tool first wants to know what is in it: which
processes, which steps of which kind, who performs them, which applications and data they use.
The text form is for reading; ``--json`` gives the same facts to scripts, with stable keys
(:mod:`wfengine.cli.show_view` builds both).
"""

from __future__ import annotations

import click

from wfengine.cli.json_output import dumps
from wfengine.cli.loading import load_or_fail


@click.command(
    "show",
    short_help="Summarise a package: processes, activities, transitions, data.",
    epilog="""\b
Examples:
  wfengine show examples/order_fulfilment.xpdl
  wfengine show --json examples/leave_request.xpdl | jq '.processes[].activities[].id'""",
)
@click.argument("source", metavar="FILE")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
def show(source: str, as_json: bool) -> None:
    """Summarise an XPDL package: processes, activities, transitions and their context.

    Lists each process's activities with their kind (route, tool, subflow, manual, user,
    event, block, ...) and who performs them, the transitions with their conditions
    (`[amount > 500]`) and apart their names, which are never tested (`(name: No)`), and the
    participants, applications and data fields of the package and of each process. An
    activity that names no performer and is drawn in a pool lane that names some is shown
    with the lane's performers, as it runs: `by ROLE (lane LANE)`; JSON gives the lane as
    `performer_lane`. An event attached to an activity says so: `attached to ACTIVITY,
    interrupting` (or `non-interrupting`); JSON gives `attached_to` and `interrupting`. A
    loop, a multi-instance activity, an asynchronous subflow and an event sub-process say so
    (JSON: `loop`, `execution`, `event_subprocess`). A Complex join shows its condition and
    whether it is cancelling or blocking: `join Complex (arrived >= 2, cancelling)` (JSON:
    `join_condition`, `cancel_remaining`). FILE may be `-`.

    Exit status: 0 when shown, 1 when FILE cannot be loaded as XPDL, 2 when it cannot be
    read or on usage errors.
    """
    from wfengine.cli.show_view import package_summary, render_text

    package = load_or_fail(source, schema=False)
    if as_json:
        click.echo(dumps(package_summary(package), indent=2))
    else:
        click.echo(render_text(package))
