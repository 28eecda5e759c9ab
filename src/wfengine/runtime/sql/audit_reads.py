"""Reading the audit trail from the SQL store: one instance's events, and the events a
:class:`~wfengine.runtime.audit_query.AuditQuery` selects in ``(at, instance_id, seq)`` order,
paged by keyset (``after``)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from wfengine.runtime.audit_query import AuditKey, AuditQuery
from wfengine.runtime.sql import rows
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.bytewise import id_order
from wfengine.runtime.sql.database import Database
from wfengine.runtime.store import AuditEvent


def audit(db: Database, instance_id: str) -> list[AuditEvent]:
    """Every audit event of ``instance_id``, in the order they happened."""
    a = t.audit_events
    query = sa.select(a).where(a.c.instance_id == instance_id).order_by(a.c.seq)
    found = db.read(lambda c: c.execute(query).mappings().all())
    return [rows.audit_event(r) for r in found]


def audit_events(db: Database, query: AuditQuery) -> list[AuditEvent]:
    """The events ``query`` selects (see :meth:`Store.audit_events
    <wfengine.runtime.store.Store.audit_events>`)."""
    a = t.audit_events
    # the instance ids by code point, as memory and SQLite order them (not by a
    # PostgreSQL database's locale collation: see bytewise); one instance's trail as it is,
    # so the database reads it as a range of ix_audit_events_instance_at
    instance = a.c.instance_id if query.instance_id is not None else id_order(db, a.c.instance_id)
    stmt = sa.select(a).order_by(a.c.at, instance, a.c.seq)
    if query.instance_id is not None:
        stmt = stmt.where(a.c.instance_id == query.instance_id)
    if query.process_id is not None:
        stmt = stmt.where(a.c.process_id == query.process_id)
    if query.activity_id is not None:
        stmt = stmt.where(a.c.activity_id == query.activity_id)
    if query.user is not None:
        stmt = stmt.where(a.c.user_id == query.user)
    if query.kinds:
        stmt = stmt.where(a.c.kind.in_(query.kinds))
    if query.since is not None:
        stmt = stmt.where(a.c.at >= query.since)
    if query.until is not None:
        stmt = stmt.where(a.c.at < query.until)
    if query.after is not None:
        stmt = stmt.where(_after(query.after, query.instance_id, instance))
    if query.limit is not None:
        stmt = stmt.limit(query.limit)
    found = db.read(lambda c: c.execute(stmt).mappings().all())
    return [rows.audit_event(r) for r in found]


def _after(
    after: AuditKey, instance_id: str | None, instance: sa.ColumnElement[Any]
) -> sa.ColumnElement[bool]:
    """The events after ``after`` in ``(at, instance_id, seq)`` order. Paging one instance's
    trail (``after`` one of its events), that is ``(at, seq) > (after's)``, which the
    database reads as a range of ``ix_audit_events_instance_at`` (instance_id, at, seq) from
    where the page left off; the row value with the instance in the middle made it read the
    instance's whole trail from ``at`` on and sort it, for every page. ``instance``: the
    instance id column as the order compares it."""
    a = t.audit_events
    at, after_instance, seq = after
    if instance_id is not None and instance_id == after_instance:
        bound: Any = sa.literal(at, t.UtcDateTime)
        return sa.tuple_(a.c.at, a.c.seq) > sa.tuple_(bound, seq)
    return sa.tuple_(a.c.at, instance, a.c.seq) > sa.tuple_(*after)
