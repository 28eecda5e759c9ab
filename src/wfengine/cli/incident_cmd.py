"""``wfengine incidents`` and ``wfengine incident retry|skip|abort``: the operator's answers.

The contract scripts rely on (keep it exactly):

* ``wfengine incidents --db URL [--json]`` lists the open incidents, oldest first; ``--json``
  prints a list of ``{"id", "instance_id", "activity_id", "application_id", "error",
  "attempts"}`` (``application_id`` null and ``attempts`` 0 for an incident that is not a
  failed application call, such as a condition that could not be evaluated).
* ``wfengine incident retry ID --db URL``: do the failed work again (after fixing its cause);
* ``wfengine incident skip ID --db URL [--set NAME=VALUE]... [--take TRANSITION]...``: finish
  the failed activity as if its work had written those data fields (NAME and VALUE as for
  ``instance start --set``, by the declarations of the incident's process: a STRING keeps its
  text, ``1.10`` stays ``"1.10"``; a value its field's type does not take, or a name the
  process does not declare, goes to the engine as JSON when it parses, which refuses it: exit
  status 1, as for any output the skip cannot take); a failed decision (a condition that
  cannot be evaluated, such as a label for people where an expression belongs) is skipped by
  naming the transition(s) to take;
* ``wfengine incident abort ID --db URL``: give up: the instance becomes ``closed.aborted``;
* each of them takes ``--user U``: who asks, named on what the answer records in the audit
  trail (the engine command's ``user=``; :mod:`wfengine.cli.acting_user`); without it nobody
  is named.

Each prints ``ID resolved``. The incident is resolved at once; what happens next (the repeated
application call, the activities that follow) is queued for ``wfengine worker``, which has the
application bindings, so this command never calls an application itself. What a retry redoes
without an application (a count, a condition, a performer: evaluated again in the command) may
fail again at once, opening a new incident on the same activity: then ``retry`` prints
nothing on stdout and exits 1 saying ``ID retried: it failed again as NEW: MESSAGE`` (fix the
data with ``wfengine instance set``, then retry NEW). Exit statuses: 1 for an unknown or
already resolved incident, a retry that failed again at once, or outputs a skip cannot take;
2 for a database that cannot be used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from wfengine.cli.acting_user import acting_user_option
from wfengine.cli.assignments import (
    check_input_limits,
    parse_value,
    set_option,
    split_assignments,
)
from wfengine.cli.database import db_option, engine_on
from wfengine.cli.exit_status import WorkflowRefused
from wfengine.cli.json_output import dumps, incident_row
from wfengine.cli.option_types import STORED_TEXT
from wfengine.one_line import one_line as o

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.snapshots import IncidentSnapshot


@click.command(
    "incidents",
    short_help="List open incidents in a database.",
    epilog="""\b
Examples:
  wfengine incidents --db sqlite:///wf.db
  wfengine incidents --db sqlite:///wf.db --json | jq -r '.[].id'""",
)
@db_option
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='A list of {"id", "instance_id", "activity_id", "application_id", "error", "attempts"}.',
)
def incidents(url: str, as_json: bool) -> None:
    """List the open incidents: work the engine could not do by itself."""
    with engine_on(url) as engine:
        found = engine.incidents()
    rows = [incident_row(i) for i in found]
    if as_json:
        click.echo(dumps(rows))
        return
    for row in rows:
        # each cell on one line (control characters escaped, as audit and status do): an
        # application's error holding a line break would otherwise print a forged row;
        # an incident of a job that is no activity's (a stopped continuation) names none
        activity = f"\tactivity {o(row['activity_id'])}" if row["activity_id"] else ""
        app = f" application {o(row['application_id'])}" if row["application_id"] else ""
        tries = f" after {row['attempts']} attempt(s)" if row["attempts"] else ""
        click.echo(
            f"{o(row['id'])}\tinstance {o(row['instance_id'])}{activity}{app}{tries}: "
            f"{o(row['error'])}"
        )


@click.group(
    "incident",
    epilog="""\b
Examples:
  wfengine incident retry inc-7 --db sqlite:///wf.db
  wfengine incident abort inc-7 --db sqlite:///wf.db""",
)
def incident() -> None:
    """Answer an incident: retry the failed work, skip it with given outputs, or abort."""


@incident.command("retry")
@click.argument("incident_id", metavar="ID", type=STORED_TEXT)
@db_option
@acting_user_option
def retry(incident_id: str, url: str, user: str | None) -> None:
    """Do the failed work again (workers carry it out).

    What is redone here (a count, a condition, a performer) may fail again at once on the
    same data: then the new incident is named and the exit status is 1; fix the data with
    `wfengine instance set` and retry that one.

    \b
    Examples:
      wfengine incident retry inc-7 --db sqlite:///wf.db
      wfengine incident retry inc-7 --db sqlite:///wf.db --user ops-anna
    """
    with engine_on(url) as engine:
        # the incidents the retry's own command opened on its activity: what it redid here
        # (a count or condition evaluated again) failed at once on unchanged data, and "ID
        # resolved", exit 0, told the operator the instance went on while it was held again.
        # Not a look at the instance before and after: a worker's failing run of the queued
        # call in between (another instance of a multi-instance activity failing) is no
        # failure of this retry
        again = engine.retry_incident(incident_id, user=user)
    if again:
        raise _FailedAgain(incident_id, again)
    _resolved(incident_id)


class _FailedAgain(WorkflowRefused):
    """A retry that failed again at once (``Engine.retry_incident``'s answer): exit status
    1, as the workflow refusing what was asked, naming the new incident, its message, and
    what to do."""

    def __init__(self, incident_id: str, again: list[IncidentSnapshot]) -> None:
        first = again[0]
        which = ", ".join(o(i.id) for i in again)
        super().__init__(
            f"{o(incident_id)} retried: it failed again as {which}: {o(first.message)}; "
            f"fix its cause (the data: wfengine instance set {o(first.instance_id)} "
            f"NAME=VALUE...), then retry {o(first.id)}, or abort it"
        )


@incident.command(
    "skip",
    epilog="""\b
Examples:
  wfengine worker --db sqlite:///wf.db --until-idle
  wfengine incident skip inc-1 --db sqlite:///wf.db --set in_stock=true
  wfengine worker --db sqlite:///wf.db --until-idle
  wfengine incident skip inc-101 --db sqlite:///wf.db --set invoice_id='INV 7 (by hand)'
  wfengine incident skip inc-9 --db sqlite:///wf.db --take to_approval

(They follow `wfengine workitem --help`: the worker stops pi-7, the order alice entered, at
check_stock, whose application nothing binds (no --apps): inc-1; skipped as in stock, it
stops at invoice: inc-101 (`wfengine incidents` lists them). --take answers a failed
decision, which no shipped process has: inc-9 and the transition to_approval are your own
names there.)""",
)
@click.argument("incident_id", metavar="ID", type=STORED_TEXT)
@db_option
@set_option("Output data of the skipped work (data field ids or Names).", typed=True)
@click.option(
    "--take",
    "take",
    multiple=True,
    metavar="TRANSITION",
    type=STORED_TEXT,
    help="For a failed decision: the transition id to follow (repeat for several).",
)
@acting_user_option
def skip(
    incident_id: str,
    url: str,
    assignments: tuple[str, ...],
    take: tuple[str, ...],
    user: str | None,
) -> None:
    """Finish the failed activity as if its work had written the given data, and move on;
    for a failed decision, follow the transitions given with --take."""
    raw = split_assignments(assignments)
    for name, text in raw.items():  # the input limits first, before any database is opened
        check_input_limits(text, name=name, option="--set")
    with engine_on(url) as engine:
        outputs = _outputs(engine, incident_id, raw)
        engine.skip_incident(incident_id, outputs, take=list(take) or None, user=user)
    _resolved(incident_id)


def _resolved(incident_id: str) -> None:
    """Print ``ID resolved``, the id on one line (control characters escaped, as the listing
    shows it): the id is the operator's argument, and a line break in it would print a line
    of its own."""
    click.echo(f"{o(incident_id)} resolved")


def _outputs(engine: Engine, incident_id: str, raw: dict[str, str]) -> dict[str, Any]:
    """The skip's ``--set`` values read by the declarations of the incident's process, as
    ``instance start --set`` reads them (why: a STRING field given ``1.10`` keeps that text,
    where JSON would make it ``1.1``). What they do not read (an undeclared name, a value the
    type refuses) is JSON when it parses, else text, for the engine to refuse: a skip's
    refused outputs are exit status 1 (the contract above), not a usage error. One field
    given by its id and its Name is a usage error (exit status 2), as for ``instance
    start``: the later value silently won. An unknown incident reads everything so; the
    engine then says it is unknown."""
    from wfengine.cli.declared_data import (
        NotFiniteParameter,
        declarations,
        declared_target,
        declared_values,
        given_once,
    )

    def fallback(name: str, text: str) -> Any:
        return parse_value(text, name=name, option="--set")

    instance_id = engine.store.incident_instance_id(incident_id) if raw else None
    if instance_id is None:
        return {name: fallback(name, text) for name, text in raw.items()}
    summary = engine.store.instance_summary(instance_id)
    deployed = engine.deployed(summary.process_id, summary.version)
    declared = declarations(deployed.package, deployed.definition)
    given_as: dict[str, str] = {}
    outputs: dict[str, Any] = {}
    for name, text in raw.items():
        target = declared_target(name, declared)
        if target is not None:  # its id and its Name: refused as instance start refuses it
            given_once(given_as, name, target, "--set")
        try:
            outputs.update(declared_values({name: text}, deployed.package, deployed.definition))
        except NotFiniteParameter:  # a usage error, as for every command taking values
            raise
        except click.BadParameter:
            outputs[name] = fallback(name, text)
    return outputs


@incident.command("abort")
@click.argument("incident_id", metavar="ID", type=STORED_TEXT)
@db_option
@acting_user_option
def abort(incident_id: str, url: str, user: str | None) -> None:
    """Give up on the incident's instance: it becomes closed.aborted.

    \b
    Examples:
      wfengine incident abort inc-7 --db sqlite:///wf.db
      wfengine incident abort inc-7 --db sqlite:///wf.db --user ops-anna
    """
    with engine_on(url) as engine:
        engine.abort_incident(incident_id, user=user)
    _resolved(incident_id)
