"""Reading the audit trail from the SQL store: one instance's events, and the events a
:class:`~wfengine.runtime.audit_query.AuditQuery` selects in ``(at, instance_id, seq)`` order,
paged by keyset (``after``)."""

from __future__ import annotations

import sqlalchemy as sa

from wfengine.runtime.audit_query import AuditQuery
from wfengine.runtime.sql import rows
from wfengine.runtime.sql import schema as t
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
    stmt = sa.select(a).order_by(a.c.at, a.c.instance_id, a.c.seq)
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
        stmt = stmt.where(sa.tuple_(a.c.at, a.c.instance_id, a.c.seq) > sa.tuple_(*query.after))
    if query.limit is not None:
        stmt = stmt.limit(query.limit)
    found = db.read(lambda c: c.execute(stmt).mappings().all())
    return [rows.audit_event(r) for r in found]
