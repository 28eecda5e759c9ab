"""What the trail written before 0009 says, in the columns the queries read: the work done then
is credited to whoever did it, and activity instances a deadline fired on are late.

0009 left ``user_id`` and ``work_item_id`` empty on the events already stored, so ``wfengine
stats`` credited their work items to nobody and ``wfengine audit --user`` did not find them,
while the events (and the exports) name the user. Each such event gets the user and the work
item its detail names, read as an event written today is (a detail object's ``user`` and
``work_item``, when they are text): the columns of the memory store's events. The hash chain
does not cover these columns, and ``wfengine audit verify`` holds the columns of an event
with a hash to its detail only (those events have none), so the trail verifies as before.

0009 also took every activity instance stored before it for not late. A ``deadline.fired``
event from then (one without a hash) names the activity instance it fired on, which is what
made an instance late then as now, so those instances' rows become late; so do their
records in the instance documents that still list them (an instance left open, whose next
commit writes its row from its document), each such document's row version counting the
change.

It also marks document format 5 (``wfengine.runtime.sql.document_format.FORMAT_REVISIONS``):
a wfengine that cannot read format 5 does not know this revision, so it refuses a database
at it when it opens it.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None
#: the instance document format a database at this revision may hold (see the module's doc)
document_format = 5

#: events (and documents) read at a time
_BATCH = 2000

_events = sa.table(
    "audit_events",
    sa.column("instance_id", sa.String),
    sa.column("seq", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("activity_instance_id", sa.String),
    sa.column("detail", sa.JSON),
    sa.column("user_id", sa.String),
    sa.column("work_item_id", sa.String),
    sa.column("hash", sa.String),
)
_activities = sa.table("activity_instances", sa.column("id", sa.String), sa.column("late"))
_instances = sa.table(
    "process_instances",
    sa.column("id", sa.String),
    sa.column("version", sa.Integer),
    sa.column("state_blob", sa.JSON),
)


def upgrade() -> None:
    conn = op.get_bind()
    _credit(conn)
    _late(conn)


def _credit(conn: sa.Connection) -> None:
    """``user_id`` and ``work_item_id`` of the unchained events, from their details."""
    e = _events
    text = sa.cast(e.c.detail, sa.Text)
    unset = sa.and_(
        e.c.hash.is_(None),
        e.c.user_id.is_(None),
        e.c.work_item_id.is_(None),
        sa.or_(text.like('%"user"%'), text.like('%"work_item"%')),
    )
    key = sa.tuple_(e.c.instance_id, e.c.seq)
    fill = (
        e.update()
        .where(e.c.instance_id == sa.bindparam("b_instance"), e.c.seq == sa.bindparam("b_seq"))
        .values(user_id=sa.bindparam("b_user"), work_item_id=sa.bindparam("b_item"))
    )
    after: tuple[str, int] | None = None
    while True:
        batch = sa.select(e.c.instance_id, e.c.seq, e.c.detail).where(unset)
        if after is not None:
            batch = batch.where(key > sa.tuple_(*after))
        found = conn.execute(batch.order_by(e.c.instance_id, e.c.seq).limit(_BATCH)).all()
        if not found:
            return
        filled = []
        for instance_id, seq, detail in found:
            user, item = _header_ids(detail)
            if user is not None or item is not None:
                filled.append(
                    {"b_instance": instance_id, "b_seq": seq, "b_user": user, "b_item": item}
                )
        if filled:
            conn.execute(fill, filled)
        after = (found[-1][0], found[-1][1])


def _header_ids(detail: Any) -> tuple[str | None, str | None]:
    """The user and the work item a detail names, as ``wfengine.runtime.store.header_ids``
    reads them when it writes an event (kept here as it was: a migration must do tomorrow
    what it does today)."""
    if type(detail) is not dict:
        return None, None
    user, item = detail.get("user"), detail.get("work_item")
    return (user if type(user) is str else None, item if type(item) is str else None)


def _late(conn: sa.Connection) -> None:
    """``late`` of the activity instances an unchained ``deadline.fired`` event names."""
    e, a, p = _events, _activities, _instances
    fired = (
        sa.select(e.c.instance_id, e.c.activity_instance_id)
        .where(
            e.c.kind == "deadline.fired",
            e.c.hash.is_(None),
            e.c.activity_instance_id.is_not(None),
        )
        .distinct()
    )
    by_instance: dict[str, set[str]] = {}
    for instance_id, activity_instance_id in conn.execute(fired):
        by_instance.setdefault(instance_id, set()).add(activity_instance_id)
    if not by_instance:
        return
    late = sorted(i for ids in by_instance.values() for i in ids)
    for start in range(0, len(late), _BATCH):
        chunk = late[start : start + _BATCH]
        conn.execute(a.update().where(a.c.id.in_(chunk)).values(late=sa.true()))
    owners = sorted(by_instance)
    rewrite = (
        p.update()
        .where(p.c.id == sa.bindparam("b_id"))
        .values(state_blob=sa.bindparam("b_document", type_=sa.JSON), version=p.c.version + 1)
    )
    for start in range(0, len(owners), _BATCH):
        chunk = owners[start : start + _BATCH]
        found = conn.execute(sa.select(p.c.id, p.c.state_blob).where(p.c.id.in_(chunk)))
        changed = [
            {"b_id": instance_id, "b_document": document}
            for instance_id, document in found
            if _mark_late(document, by_instance[instance_id])
        ]
        if changed:
            conn.execute(rewrite, changed)


def _mark_late(document: Any, late: set[str]) -> bool:
    """Mark the activity instances ``late`` names late in ``document`` (in place); whether
    it lists any of them not marked yet."""
    listed = document.get("activities") if isinstance(document, dict) else None
    marked = False
    for record in listed if isinstance(listed, list) else ():
        if isinstance(record, dict) and record.get("id") in late and not record.get("late"):
            record["late"] = True
            marked = True
    return marked


def downgrade() -> None:
    """Nothing to undo: the columns hold what they would have held had the rows been written
    by a wfengine that had them."""
