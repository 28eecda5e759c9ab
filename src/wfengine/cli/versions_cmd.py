"""``wfengine versions``: the stored versions of each deployed process.

Why: versioning by ``ValidFrom`` (a version scheduled ahead), rollbacks (an older file deployed
again becomes the newest version) and a ``ValidTo`` given to the version a scheduled one
replaces all rely on an operator seeing which versions are stored, their periods, which one
starts instances now and which still have open instances; only Python's
``engine.store.versions()`` told any of it. Each row is made of the engine's own answers
(``store.versions``, ``deployed``, ``startable``, ``instance_summaries``) and the SQL store's
``deployed_at``, as README's Python paragraph lists them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from wfengine.cli.database import db_option, engine_on
from wfengine.cli.json_output import dumps, iso
from wfengine.cli.option_types import STORED_TEXT
from wfengine.one_line import one_line as o

if TYPE_CHECKING:
    from datetime import datetime

    from wfengine.runtime.engine import Engine


@click.command(
    "versions",
    epilog="""\b
Examples:
  wfengine versions --db sqlite:///wf.db
  wfengine versions --db sqlite:///wf.db --process fulfil_order --json""",
)
@db_option
@click.option("--process", "process_id", metavar="ID", type=STORED_TEXT, help="Only this process.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='A list of {"process_id", "version", "deployed_at", "valid_from", "valid_to", '
    '"open_instances", "starts_now", "compiles"}.',
)
def versions(url: str, process_id: str | None, as_json: bool) -> None:
    """List the stored versions of each deployed process, oldest first.

    One line per version: PROCESS_ID, VERSION, when it was deployed, its ValidFrom and
    ValidTo (- for none; ? when the version does not compile in this wfengine), its open
    instances, and `starts-now` on the version a new instance starts on (the newest valid
    now), else -. An unknown --process exits 1.
    """
    from wfengine.runtime.queries import refuse_unknown_filters

    with engine_on(url) as engine:
        refuse_unknown_filters(engine.store, process_id)  # a misspelt --process: exit 1
        ids = [process_id] if process_id is not None else engine.store.deployed_process_ids()
        rows = [row for pid in ids for row in _rows(engine, pid)]
    if as_json:
        click.echo(dumps(rows))
        return
    for r in rows:
        unread = not r["compiles"]
        period = ["?", "?"] if unread else [r["valid_from"] or "-", r["valid_to"] or "-"]
        fields = [o(r["process_id"]), str(r["version"]), r["deployed_at"] or "-", *period]
        fields += [str(r["open_instances"]), "starts-now" if r["starts_now"] else "-"]
        click.echo("\t".join(fields))


def _rows(engine: Engine, process_id: str) -> list[dict[str, Any]]:
    """The rows of ``process_id``'s stored versions."""
    from wfengine.errors import DeployError, WorkflowError

    try:
        now: int | None = engine.startable(process_id).version
    except WorkflowError:  # (none valid now, or its latest deploy refused)
        now = None
    # (the SQL store keeps when; the memory store, which no command opens, does not)
    when = getattr(engine.store, "deployed_at", None)
    deployed_at: dict[int, datetime] = when(process_id) if when is not None else {}
    open_by_version: dict[int, int] = {}
    for summary in engine.instance_summaries(process_id=process_id):
        if summary.state.is_open:
            open_by_version[summary.version] = open_by_version.get(summary.version, 0) + 1
    rows: list[dict[str, Any]] = []
    for version in engine.store.versions(process_id):
        try:
            deployed = engine.deployed(process_id, version)
            valid_from, valid_to, compiles = deployed.valid_from, deployed.valid_to, True
        except DeployError:  # stored by an earlier wfengine: its period is not read
            valid_from, valid_to, compiles = None, None, False
        rows.append(
            {
                "process_id": process_id,
                "version": version,
                "deployed_at": iso(deployed_at.get(version)),
                "valid_from": iso(valid_from),
                "valid_to": iso(valid_to),
                "open_instances": open_by_version.get(version, 0),
                "starts_now": version == now,
                "compiles": compiles,
            }
        )
    return rows
