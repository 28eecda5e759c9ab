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
then; and versions of a process are numbered in the order they were deployed, so each version
up to that one's was stored before 0009 too. That holds however the database got here, on
any clock (the times of the deployments and of the events are read by two clocks: the
machine's and the engine's, which a host may set). A version stored before 0009 with no
instance then, nor a later version with one, is not told apart and writes as it lists, as
does everything deployed since. (A database is at 0008 from commit 5e11368 on, and a version
deployed from then until 0009 keeps the wider rule too: that was an afternoon of development,
never a release.)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

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
    sa.column("writes_any_field", sa.Boolean),
)


def upgrade() -> None:
    # plain ALTER TABLE ... ADD COLUMN: never a table rebuild
    op.add_column(
        "deployments",
        sa.Column("writes_any_field", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    conn = op.get_bind()
    e, p, d = _events, _instances, _deployments
    unchained = sa.select(e.c.instance_id).where(e.c.instance_id == p.c.id, e.c.hash.is_(None))
    latest = sa.select(p.c.process_id, sa.func.max(p.c.definition_version)).where(
        unchained.exists()
    )
    mark = (
        d.update()
        .where(d.c.process_id == sa.bindparam("b_process"))
        .where(d.c.version <= sa.bindparam("b_version"))
        .values(writes_any_field=sa.true())
    )
    found = [
        {"b_process": process_id, "b_version": version}
        for process_id, version in conn.execute(latest.group_by(p.c.process_id))
    ]
    if found:
        conn.execute(mark, found)


def downgrade() -> None:
    op.drop_column("deployments", "writes_any_field")
