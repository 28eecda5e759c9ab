"""Verifying the SQL store's audit chains (``wfengine audit verify``): every instance's events
read in ``seq`` order, in one pass over the table inside one snapshot, and checked against the
count and head its row keeps (:func:`wfengine.runtime.audit_chain.verify_instance`)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import sqlalchemy as sa

from wfengine.runtime.audit_chain import ChainBreak, ChainReport, StoredEvent, verify_instance
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.database import Database

#: rows fetched from the server at a time (the trail may be large)
_BATCH = 2000


def verify_chains(db: Database, instance_id: str | None = None) -> ChainReport:
    """Check the audit chain of ``instance_id``, or of every instance."""
    p, a = t.process_instances, t.audit_events
    heads_query = sa.select(p.c.id, p.c.audit_seq, p.c.audit_head).order_by(p.c.id)
    events_query = sa.select(
        a.c.instance_id,
        a.c.seq,
        a.c.at,
        a.c.kind,
        a.c.activity_instance_id,
        a.c.activity_id,
        a.c.detail,
        a.c.hash,
    ).order_by(a.c.instance_id, a.c.seq)
    if instance_id is not None:
        heads_query = heads_query.where(p.c.id == instance_id)
        events_query = events_query.where(a.c.instance_id == instance_id)

    def check(conn: sa.Connection) -> ChainReport:
        heads = {r.id: (r.audit_seq, r.audit_head) for r in conn.execute(heads_query)}
        # the statement's option, not the connection's (which would make every later read
        # on this connection, kept for the next command, a server-side cursor)
        rows = conn.execute(events_query.execution_options(yield_per=_BATCH))
        events = unchained = 0
        breaks: list[ChainBreak] = []
        seen: set[str] = set()
        for iid, group in itertools.groupby(_stored(rows), key=lambda e: e.instance_id):
            seen.add(iid)
            count, head = heads.get(iid, (0, None))
            n, loose, found = verify_instance(iid, group, count, head)
            events, unchained = events + n, unchained + loose
            if found is not None:
                breaks.append(found)
        for iid, (count, _) in heads.items():
            if iid not in seen and count:
                breaks.append(
                    ChainBreak(iid, None, f"the instance records {count} events, none is stored")
                )
        return ChainReport(len(heads), events, unchained, tuple(breaks))

    # one snapshot for both reads, so engines committing meanwhile cannot look like tampering
    # (SQLite: a deferred BEGIN; PostgreSQL: REPEATABLE READ, which a cursor also needs)
    return db.snapshot(check)


def _stored(rows: sa.CursorResult[tuple[object, ...]]) -> Iterator[StoredEvent]:
    for r in rows:
        yield StoredEvent(
            r.instance_id,
            r.seq,
            r.at,
            r.kind,
            r.activity_instance_id,
            r.activity_id,
            r.detail,  # as stored: the hash covers the stored form
            r.hash,
        )
