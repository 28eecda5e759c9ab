"""When people's work began on the activity instances created before 0009, from the trail: the
metrics take it for the end of the waiting and the start of the processing.

0009 added ``activity_instances.running_at`` (and the documents' ``running``) empty for the
activity instances already stored, and the metrics take an empty one for "began when it was
created". So ``wfengine stats`` counted the whole time an item of work done before the upgrade
waited for a person as processing, and none as waiting. An item a person started before the
upgrade and completed after got the completion's time instead (that wfengine left its activity
instance not started until then): the other way round. The trail says when the work began, and
is what the figures computed from the events (``wfengine.audit.metrics.activity_metrics_of``)
read: the first start of the instance's first round (its work item started, or completed
unstarted, or the activity started: ``wfengine.runtime.activity_durations.Rounds``), or, a
round that ended with none, its end. Each activity instance that has an event without a hash
(written before 0009) gets that time, in its row and in the document that lists it (its
row is written from there at the instance's next commit; each rewritten document's row
version counts the change). One whose work has not begun keeps its empty value: the start
still to come sets it.

A value the trail does not change is left as it is: a row whose time already is it, and an
instance that closed having begun when it was created (empty or that time: the same figures).
An open one that began when it was created gets the time written out, so that its completion
does not take it for work beginning then.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

#: process instances read at a time
_BATCH = 200

#: what begins a round of work, ends one, as ``Rounds`` reads them (kept here as they are: a
#: migration must do tomorrow what it does today)
_STARTS = ("work_item.started", "work_item.completed", "activity.started")
_ENDS = ("activity.iteration", "activity.completed")

_TIME = sa.DateTime(timezone=True)
_events = sa.table(
    "audit_events",
    sa.column("instance_id", sa.String),
    sa.column("seq", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("at", _TIME),
    sa.column("activity_instance_id", sa.String),
    sa.column("hash", sa.String),
)
_activities = sa.table(
    "activity_instances",
    sa.column("id", sa.String),
    sa.column("instance_id", sa.String),
    sa.column("state", sa.String),
    sa.column("started_at", _TIME),
    sa.column("running_at", _TIME),
)
_instances = sa.table(
    "process_instances",
    sa.column("id", sa.String),
    sa.column("version", sa.Integer),
    sa.column("state_blob", sa.JSON),
)


def upgrade() -> None:
    conn = op.get_bind()
    e = _events
    unchained = (
        sa.select(e.c.instance_id)
        .where(e.c.hash.is_(None), e.c.activity_instance_id.is_not(None))
        .group_by(e.c.instance_id)
        .order_by(e.c.instance_id)
        .limit(_BATCH)
    )
    after: str | None = None
    while True:
        batch = unchained if after is None else unchained.where(e.c.instance_id > after)
        owners = list(conn.execute(batch).scalars())
        if not owners:
            return
        began = _work_begun(conn, owners)
        if began:
            _write_rows(conn, owners, began)
            _write_documents(conn, owners, began)
        after = owners[-1]


def _work_begun(conn: sa.Connection, owners: list[str]) -> dict[str, datetime]:
    """Activity instance -> when its work began, as the trail tells it, of each one of
    ``owners`` (process instances) created before 0009 whose work began."""
    e = _events
    kinds = (*_STARTS, *_ENDS)
    trail = (
        sa.select(e.c.activity_instance_id, e.c.kind, e.c.at, e.c.hash.is_(None))
        .where(e.c.instance_id.in_(owners), e.c.activity_instance_id.is_not(None))
        .order_by(e.c.instance_id, e.c.seq)
    )
    began: dict[str, datetime] = {}
    ended: set[str] = set()  # its first round is over: later events change nothing
    old: set[str] = set()
    for activity_instance_id, kind, at, unchained in conn.execute(trail):
        if unchained:
            old.add(activity_instance_id)
        if kind not in kinds or activity_instance_id in ended:
            continue
        # (a round that ended unstarted began as it ended: no time waited for a person
        # was work)
        began.setdefault(activity_instance_id, _utc(at))
        if kind in _ENDS:
            ended.add(activity_instance_id)
    return {key: at for key, at in began.items() if key in old}


def _write_rows(conn: sa.Connection, owners: list[str], began: dict[str, datetime]) -> None:
    a = _activities
    rows = sa.select(a.c.id, a.c.state, a.c.started_at, a.c.running_at).where(
        a.c.instance_id.in_(owners)
    )
    changed = [
        {"b_id": key, "b_running": began[key]}
        for key, state, started, running in conn.execute(rows)
        if key in began and _stale(state, started, running, began[key])
    ]
    if changed:
        fill = (
            a.update()
            .where(a.c.id == sa.bindparam("b_id"))
            .values(running_at=sa.bindparam("b_running", type_=_TIME))
        )
        conn.execute(fill, changed)


def _stale(state: str, started: Any, running: Any, began: datetime) -> bool:
    """Whether ``running`` (an activity instance's value, in ``state``, created at
    ``started``) must become ``began``."""
    if running is not None and _utc(running) == began:
        return False
    if state.startswith("closed.") and running is None:
        return began != _utc(started)  # (empty: began when created)
    return True


def _write_documents(conn: sa.Connection, owners: list[str], began: dict[str, datetime]) -> None:
    p = _instances
    found = conn.execute(sa.select(p.c.id, p.c.state_blob).where(p.c.id.in_(owners)))
    changed = [
        {"b_id": instance_id, "b_document": document}
        for instance_id, document in found
        if _mark_running(_records(document), began)
    ]
    if changed:
        rewrite = (
            p.update()
            .where(p.c.id == sa.bindparam("b_id"))
            .values(state_blob=sa.bindparam("b_document", type_=sa.JSON), version=p.c.version + 1)
        )
        conn.execute(rewrite, changed)


def _records(document: Any) -> Iterable[dict[str, Any]]:
    """The activity instance records ``document`` lists."""
    listed = document.get("activities") if isinstance(document, dict) else None
    return [r for r in listed if isinstance(r, dict)] if isinstance(listed, list) else []


def _mark_running(records: Iterable[dict[str, Any]], began: dict[str, datetime]) -> bool:
    """Set the ``running`` time of the records ``began`` names (in place), as the rows'
    (:func:`_stale`); whether any changed."""
    marked = False
    for record in records:
        at = began.get(record.get("id"))  # type: ignore[arg-type]
        state, started = record.get("state"), record.get("started")
        if at is None or not isinstance(state, str) or not isinstance(started, str):
            continue
        running = record.get("running")
        now = _read(running) if isinstance(running, str) else None
        if _stale(state, _read(started), now, at):
            record["running"] = at.isoformat()
            marked = True
    return marked


def _read(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _utc(when: datetime) -> datetime:
    """``when`` in UTC (SQLite gives the columns' UTC times back naive)."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def downgrade() -> None:
    """Nothing to undo: the columns hold what they would have held had the rows been written
    by a wfengine that had them."""
