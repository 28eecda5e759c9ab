"""``wfengine deploy``: store the processes of XPDL files in a database, starting nothing.

A contract (scripts rely on it exactly): ``wfengine deploy FILE... --db URL [--json]`` loads
every FILE first (one that cannot be loaded is exit 1 and nothing is deployed; ``-`` is
standard input, once: twice is exit 2), then deploys each file's package as
:meth:`~wfengine.runtime.engine.Engine.deploy` does (an unchanged process keeps its version;
any other change makes a new one). It prints one line per process,
``PROCESS_ID<TAB>VERSION<TAB>new|unchanged``, or with ``--json`` one list of ``{"file",
"process_id", "version", "new"}`` objects (``version`` null and ``new`` false for a refused
process). A process validation refuses is named on stderr with its findings (``FILE: process
'P' cannot be deployed: ...``), the file's other processes are deployed, and the exit status
is 1. Applications are not checked against bindings: workers bind them (as ``instance start``).

Why a command of its own: a process that starts only by a message or a signal (``message send
--start``, ``signal send``) had to be deployed by ``instance start``, which also started an
instance of it with no message data, one that counted in ``instances`` and ``stats`` and, with
a receive task that instantiates, waited for ever.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from wfengine.cli.database import db_option, engine_on

if TYPE_CHECKING:
    from wfengine.definition.model import Package
    from wfengine.runtime.engine import Engine


@click.command(
    "deploy",
    epilog="""\b
Examples:
  wfengine deploy examples/leave_request.xpdl --db sqlite:///wf.db
  wfengine deploy examples/leave_request.xpdl examples/order_fulfilment.xpdl \\
    --db sqlite:///wf.db --json""",
)
@click.argument("files", metavar="FILE...", nargs=-1, required=True)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def deploy(files: tuple[str, ...], url: str, as_json: bool) -> None:
    """Deploy the processes of FILE... (new versions where they changed); start nothing."""
    from wfengine.cli.exit_status import WorkflowRefused
    from wfengine.cli.json_output import dumps
    from wfengine.cli.loading import display_name, load_or_fail
    from wfengine.one_line import one_line as o

    if files.count("-") > 1:  # read once: a second `-` would be an empty, "malformed" file
        raise click.UsageError("only one FILE can be standard input (-)")
    packages = [(file, load_or_fail(file)) for file in files]  # all loaded before any deploy
    rows: list[dict[str, Any]] = []
    refused: list[str] = []
    with engine_on(url, create=True) as engine:
        for file, package in packages:
            rows += _deployed(engine, display_name(file), package, refused)
    if as_json:
        click.echo(dumps(rows))
    else:
        for row in rows:
            if row["version"] is not None:
                state = "new" if row["new"] else "unchanged"
                click.echo(f"{o(row['process_id'])}\t{row['version']}\t{state}")
    if refused:
        for line in refused:
            click.echo(line, err=True)
        raise WorkflowRefused(f"{len(refused)} process(es) were not deployed")


def _deployed(
    engine: Engine, file: str, package: Package, refused: list[str]
) -> list[dict[str, Any]]:
    """Deploy ``package`` (from ``file``); one row per process, its refusal added to
    ``refused``. A version is new when the store did not hold it before (a changed process,
    or an older file deployed again: a rollback is a new version too)."""
    from wfengine.errors import DeployError

    before = {p.id: set(engine.store.versions(p.id)) for p in package.workflow_processes}
    try:
        deployed = engine.deploy(package, check_bindings=False)
    except DeployError:  # (none of its processes could deploy: each refusal is named below)
        deployed = []
    versions = {d.process_id: d.version for d in deployed}
    rows: list[dict[str, Any]] = []
    for process in package.workflow_processes:
        version = versions.get(process.id)
        if version is None:
            why = engine.refusal(process.id) or f"process {process.id!r} was not deployed"
            refused.append(f"{file}: {why}")
        rows.append(
            {
                "file": file,
                "process_id": process.id,
                "version": version,
                "new": version is not None and version not in before[process.id],
            }
        )
    return rows
