"""The ``wfengine`` command: a click group with one module per sub-command.

Each command lives in its own ``*_cmd`` module and is registered below, so adding one (``run``,
``instance``, ``worker``, ``db``) is one import and one ``add_command`` line. Command modules
import the heavier parts of wfengine inside their functions, which keeps ``wfengine --help``
fast and working even when an unrelated layer is broken.
"""

from __future__ import annotations

from typing import Any

import click

from wfengine import __version__
from wfengine.cli.audit_cmd import audit
from wfengine.cli.convert_cmd import convert
from wfengine.cli.db_cmd import db
from wfengine.cli.demo_cmd import demo
from wfengine.cli.exit_status import Interrupted
from wfengine.cli.incident_cmd import incident, incidents
from wfengine.cli.instance_cmd import instance, instances
from wfengine.cli.message_cmd import message
from wfengine.cli.org_cmd import org
from wfengine.cli.render_cmd import render
from wfengine.cli.run_cmd import run
from wfengine.cli.show_cmd import show
from wfengine.cli.signal_cmd import signal
from wfengine.cli.simulate_cmd import simulate
from wfengine.cli.stats_cmd import stats
from wfengine.cli.status_cmd import status
from wfengine.cli.validate_cmd import validate
from wfengine.cli.worker_cmd import worker
from wfengine.cli.worklist_cmd import workitem, worklist_command


class _Wfengine(click.Group):
    """The top-level group: a command interrupted by Ctrl-C exits 130 (:class:`~wfengine.cli.
    exit_status.Interrupted`), not click's 1, which a script could not tell from a refusal.
    ``worker`` handles SIGINT itself (it stops gracefully) and keeps its own statuses."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted() from None


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(
    cls=_Wfengine,
    context_settings=CONTEXT_SETTINGS,
    epilog="""\b
Examples:
  wfengine validate examples/*.xpdl
  wfengine show examples/leave_request.xpdl
  wfengine render examples/order_fulfilment.xpdl -o order.svg
  wfengine convert examples/leave_request.xpdl -o leave_request-2.2.xpdl
  wfengine run examples/leave_request.xpdl --set days=3 --json
  wfengine org load examples/organisation.yaml --db sqlite:///wf.db
  wfengine instance start examples/order_fulfilment.xpdl --db sqlite:///wf.db --count 10
  wfengine worker --db sqlite:///wf.db --until-idle

Run `wfengine COMMAND --help` for a command's options; `wfengine workitem --help` goes on
from the worker above, with the work it left for people.""",
)
@click.version_option(__version__, "-V", "--version", prog_name="wfengine")
def main() -> None:
    """wfengine: an embeddable workflow engine for XPDL process definitions (WfMC).

    Exit status of every command: 0 success, 1 the definition has errors or cannot be
    loaded, or the engine refused the request (unknown id, illegal state change), 2 usage
    errors, files that cannot be read or written, databases that cannot be used, 130
    interrupted (Ctrl-C).
    """


# Definition commands (Interface 1 of the WfMC reference model).
main.add_command(validate)
main.add_command(convert)
main.add_command(show)
main.add_command(render)
# Engine commands: one run in memory or a database; instances, workers and incidents of a
# database (the durable store).
main.add_command(run)
main.add_command(instance)
main.add_command(instances)
main.add_command(worker)
main.add_command(incidents)
main.add_command(incident)
main.add_command(db)
main.add_command(org)
main.add_command(message)
main.add_command(demo)
main.add_command(signal)
main.add_command(worklist_command)
main.add_command(workitem)
# Monitoring (Interface 5): the audit trail.
main.add_command(audit)
main.add_command(simulate)
main.add_command(status)
main.add_command(stats)


if __name__ == "__main__":  # pragma: no cover - `python -m wfengine.cli.main`
    main(prog_name="wfengine")
