"""Reading the audit trail from the SQL store: one instance's events, and the events a
:class:`~wfengine.runtime.audit_query.AuditQuery` selects in ``(at, instance_id, seq)`` order,
paged by keyset (``after``).

A row that cannot be read as an event (a time or detail edited by hand:
:mod:`~wfengine.runtime.sql.audit_rows`) is left out and logged on the ``wfengine.store``
logger, naming its instance and ``seq``, what is wrong with it and ``wfengine audit
verify``, as a listing leaves out a ``process_instances`` row it cannot read
(:func:`~wfengine.runtime.sql.rows.skipped`): the rest of the trail is still read. Before,
the first such row failed the whole read, and with it every export of the trail."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from wfengine.runtime.audit_query import AuditKey, AuditQuery
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.audit_rows import decoded_events, log_skipped, raw_columns, time_decoder
from wfengine.runtime.sql.bytewise import id_order
from wfengine.runtime.sql.database import Database
from wfengine.runtime.store import AuditEvent


def audit(db: Database, instance_id: str) -> list[AuditEvent]:
    """Every audit event of ``instance_id``, in the order they happened (a row that cannot be
    read left out, logged)."""
    a = t.audit_events
    query = sa.select(*raw_columns(db.sa_engine.dialect))
    query = query.where(a.c.instance_id == instance_id).order_by(a.c.seq)
    found = db.read(lambda c: c.execute(query).all())
    events, skipped = decoded_events(found, time_decoder(db.sa_engine.dialect))
    log_skipped(skipped)
    return events


def audit_events(db: Database, query: AuditQuery) -> list[AuditEvent]:
    """The events ``query`` selects (see :meth:`Store.audit_events
    <wfengine.runtime.store.Store.audit_events>`). A page of ``limit`` holds ``limit`` events
    unless the selection ends sooner, rows that cannot be read or not: a short page is how a
    pager (:func:`~wfengine.audit.exports.iter_events`) knows the trail has ended, so a page
    with a row left out is read again, that many rows longer."""
    a = t.audit_events
    dialect = db.sa_engine.dialect
    # the instance ids by code point, as memory and SQLite order them (not by a
    # PostgreSQL database's locale collation: see bytewise); one instance's trail as it is,
    # so the database reads it as a range of ix_audit_events_instance_at
    instance = a.c.instance_id if query.instance_id is not None else id_order(db, a.c.instance_id)
    stmt = sa.select(*raw_columns(dialect)).order_by(a.c.at, instance, a.c.seq)
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
    decode_time = time_decoder(dialect)
    limit, extra = query.limit, 0
    while True:
        found = _read(db, stmt if limit is None else stmt.limit(limit + extra))
        events, skipped = decoded_events(found, decode_time)
        if limit is None or len(events) >= limit or len(found) < limit + extra:
            break
        # every row read was needed and some were left out: as many more (the window only
        # grows, so each read leaves out more than the last, or fills the page)
        extra = len(skipped)
    log_skipped(skipped)
    return events


def _read(db: Database, stmt: sa.Select[Any]) -> list[sa.Row[Any]]:
    return list(db.read(lambda c: c.execute(stmt).all()))


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
