"""Deployments stored by a wfengine that let a person's completion write any field keep that
rule (``deployments.writes_any_field``).

Since commit 5e11368 (schema 0008) a person's completion writes only the fields its activity
lists to update (``VariableToProcess_UPDATE``, ``wfengine:writes``): a process deployed by an
earlier wfengine lists none, so after an upgrade every person's completion with data of its
running instances was refused ("its activity lets it write no data"), and deploying the
process anew does not move them. A deployment marked here is compiled with that wfengine's
rule (``wfengine.runtime.compile_people.writing_as_deployed``): a person writes any field the
process declares. Every deployment stored from now on writes as its activities list.

Which deployments were stored before 0009, when events got their hash, the trail tells: an
instance with an event without a hash (written before 0009) ran then, on a version deployed
then. From a version known to be that old, so are:

* the earlier versions of its process (versions are numbered in the order they were stored);
* the versions stored by the same deploy (one package's processes, stored together: the
  same package, XPDL text and time), such as a subflow's process no instance had reached
  yet, which an instance running on the caller starts once upgraded;
* of each process it calls as a subflow, the newest version stored no later than it, and
  so the earlier ones (the times of two deployments are read by one clock, the machine's;
  those of events, by the engine's, which a host may set, are not compared).

Each version so found tells of others, until none is new. A version stored before 0009
that none of these tells apart writes as it lists, as does everything deployed since. (A
database is at 0008 from commit 5e11368 on, and a version deployed from then until 0009
keeps the wider rule too: that was an afternoon of development, never a release.)

Not released before this form: a database upgraded by the first 0023 (the versions up to
the newest one with an instance from then) was a test's, and is made anew.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from alembic import op
from lxml import etree

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

_events = sa.table("audit_events", sa.column("instance_id", sa.String), sa.column("hash"))
_instances = sa.table(
    "process_instances",
    sa.column("id", sa.String),
    sa.column("process_id", sa.String),
    sa.column("definition_version", sa.Integer),
)
_deployments = sa.table(
    "deployments",
    sa.column("process_id", sa.String),
    sa.column("version", sa.Integer),
    sa.column("package_id", sa.String),
    sa.column("xpdl", sa.Text),
    sa.column("xpdl_sha256", sa.String),
    sa.column("deployed_at", sa.DateTime),
    sa.column("writes_any_field", sa.Boolean),
)


class _Stored(NamedTuple):
    """One deployments row, as much of it as tells what was stored with it."""

    process_id: str
    version: int
    package_id: str
    xpdl_sha256: str
    #: naive or aware as the dialect reads it: only rows of one table are compared
    deployed_at: datetime

    @property
    def deploy(self) -> tuple[str, str, datetime]:
        """What every row one deploy stored shares (one package, one text, one time)."""
        return self.package_id, self.xpdl_sha256, self.deployed_at


#: the processes a stored process calls as subflows
Callees = Callable[[_Stored], Iterable[str]]


def upgrade() -> None:
    # plain ALTER TABLE ... ADD COLUMN: never a table rebuild
    op.add_column(
        "deployments",
        sa.Column("writes_any_field", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    conn = op.get_bind()
    d = _deployments
    rows = [
        _Stored(*row)
        for row in conn.execute(
            sa.select(d.c.process_id, d.c.version, d.c.package_id, d.c.xpdl_sha256, d.c.deployed_at)
        )
    ]
    marked = _stored_before_0009(rows, _ran_before_0009(conn), _callees(conn))
    mark = (
        d.update()
        .where(d.c.process_id == sa.bindparam("b_process"))
        .where(d.c.version == sa.bindparam("b_version"))
        .values(writes_any_field=sa.true())
    )
    if marked:
        conn.execute(mark, [{"b_process": p, "b_version": v} for p, v in sorted(marked)])


def _ran_before_0009(conn: sa.Connection) -> dict[str, int]:
    """Per process, the newest version an instance with an event without a hash ran on."""
    e, p = _events, _instances
    unchained = sa.select(e.c.instance_id).where(e.c.instance_id == p.c.id, e.c.hash.is_(None))
    latest = sa.select(p.c.process_id, sa.func.max(p.c.definition_version)).where(
        unchained.exists()
    )
    return {
        process_id: version for process_id, version in conn.execute(latest.group_by(p.c.process_id))
    }


def _stored_before_0009(
    rows: list[_Stored], ran: dict[str, int], callees: Callees
) -> set[tuple[str, int]]:
    """The (process, version) of ``rows`` the trail tells were stored before 0009: from the
    newest version per process that ``ran`` then, what each found one tells (the module's
    list), until none is new."""
    by_process: dict[str, list[_Stored]] = {}
    by_deploy: dict[tuple[str, str, datetime], list[_Stored]] = {}
    for r in rows:
        by_process.setdefault(r.process_id, []).append(r)
        by_deploy.setdefault(r.deploy, []).append(r)

    def told_by(row: _Stored) -> Iterable[_Stored]:
        """The rows stored no later than ``row``, as it tells: the earlier versions of its
        process, its deploy's, and of each process it calls, the newest one stored by
        then."""
        yield from (r for r in by_process[row.process_id] if r.version < row.version)
        yield from by_deploy[row.deploy]
        for callee in set(callees(row)):
            then = [r for r in by_process.get(callee, ()) if r.deployed_at <= row.deployed_at]
            if then:
                yield max(then, key=lambda r: r.version)

    found: set[tuple[str, int]] = set()
    todo = [r for r in rows if r.version <= ran.get(r.process_id, 0)]
    while todo:
        row = todo.pop()
        if (row.process_id, row.version) not in found:
            found.add((row.process_id, row.version))
            todo.extend(told_by(row))
    return found


def _callees(conn: sa.Connection) -> Callees:
    """The processes a stored process calls as subflows (``SubFlow Id``), read from the XPDL
    text of its row (each text parsed once)."""
    d = _deployments
    parsed: dict[str, etree._Element | None] = {}

    def read(row: _Stored) -> Iterable[str]:
        if row.xpdl_sha256 not in parsed:
            text = conn.execute(
                sa.select(d.c.xpdl).where(
                    d.c.process_id == row.process_id, d.c.version == row.version
                )
            ).scalar_one()
            parsed[row.xpdl_sha256] = _parse(text)
        root = parsed[row.xpdl_sha256]
        if root is None:
            return ()
        return [
            call.get("Id", "")
            for process in root.iter("{*}WorkflowProcess")
            if process.get("Id") == row.process_id
            for call in process.iter("{*}SubFlow")
        ]

    return read


def _parse(text: str) -> etree._Element | None:
    """The XPDL text's root, or None when it does not parse (then it tells of no subflow:
    the migration goes on). No entity, DTD or network is ever read."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return None


def downgrade() -> None:
    op.drop_column("deployments", "writes_any_field")
