"""Multi-instance rows written before 0012 and 0016 get their ``mi_index`` and
``mi_parent_id``: the metrics take a row of a multi-instance activity with no ``mi_index`` for
its container and leave it out, so the work of every instance that ended before the upgrade
was missing from ``wfengine stats``.

The values come from the instance documents, which is exact: every document of format 1 or 2
(all that a database before 0012 holds) lists every activity instance of its process instance,
an instance of a multi-instance activity with its index (``mi_index``) and its container
(``mi_parent``), as the engine held them; a later document lists its live activity instances
the same way (their rows written between 0012 and 0016 have no ``mi_parent_id``). Only
documents that name a container are read, in batches; a column that holds a value keeps it.
A row whose activity instance no document still lists (one retired from a format 3 document
before 0016) keeps ``mi_parent_id`` empty, and the metrics go on taking the container its
process instance created last before it.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

#: process instances read at a time (each document holds its whole history before 0012)
_BATCH = 200

_instances = sa.table(
    "process_instances", sa.column("id", sa.String), sa.column("state_blob", sa.JSON)
)
_activities = sa.table(
    "activity_instances",
    sa.column("id", sa.String),
    sa.column("mi_index", sa.Integer),
    sa.column("mi_parent_id", sa.String),
)


def upgrade() -> None:
    conn = op.get_bind()
    p, a = _instances, _activities
    # a document naming no container holds no instance of a multi-instance activity
    names_a_container = sa.cast(p.c.state_blob, sa.Text).like('%"mi_parent"%')
    fill = (
        a.update()
        .where(a.c.id == sa.bindparam("b_id"))
        .values(
            mi_index=sa.func.coalesce(a.c.mi_index, sa.bindparam("b_index", type_=sa.Integer)),
            mi_parent_id=sa.func.coalesce(
                a.c.mi_parent_id, sa.bindparam("b_parent", type_=sa.String)
            ),
        )
    )
    after: str | None = None
    while True:
        batch = sa.select(p.c.id, p.c.state_blob).where(names_a_container)
        if after is not None:
            batch = batch.where(p.c.id > after)
        found = conn.execute(batch.order_by(p.c.id).limit(_BATCH)).all()
        if not found:
            return
        filled = [f for _, document in found for f in _instances_of(document)]
        if filled:
            conn.execute(fill, filled)
        after = found[-1][0]


def _instances_of(document: Any) -> list[dict[str, Any]]:
    """The update parameters of the multi-instance activity instances ``document`` lists."""
    listed = document.get("activities") if isinstance(document, dict) else None
    found = []
    for record in listed if isinstance(listed, list) else ():
        if not isinstance(record, dict) or not isinstance(record.get("mi_parent"), str):
            continue
        index = record.get("mi_index")
        found.append(
            {
                "b_id": record["id"],
                "b_index": index if type(index) is int else None,
                "b_parent": record["mi_parent"],
            }
        )
    return found


def downgrade() -> None:
    """Nothing to undo: the columns hold what they would have held had the rows been written
    by a wfengine that had them."""
