"""Verifying the SQL store's audit chains (``wfengine audit verify``): every instance's events
read in ``seq`` order, in one pass over the table inside one snapshot, and checked against the
count and head its row keeps (:func:`wfengine.runtime.audit_chain.verify_instance`).

The header columns kept beside the hashed detail for queries (``user_id``, ``work_item_id``,
``process_id``: what ``wfengine audit --user/--process`` filters on) are checked too: each
must say what the hashed detail (or the instance) says, so an edit of a column alone, which
the chain does not cover, is a break as well.

The time and detail are read as the database holds them and decoded row by row
(:mod:`~wfengine.runtime.sql.audit_rows`): a row edited to hold no time or no JSON is
tampering to report (a break naming it), not a decoding error that stops the whole check."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from wfengine.runtime.audit_chain import ChainBreak, ChainReport, StoredEvent, verify_instance
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.audit_rows import raw_columns, stored_values, time_decoder
from wfengine.runtime.sql.database import Database
from wfengine.runtime.store import header_ids

#: rows fetched from the server at a time (the trail may be large)
_BATCH = 2000


def verify_chains(db: Database, instance_id: str | None = None) -> ChainReport:
    """Check the audit chain of ``instance_id``, or of every instance."""
    p, a = t.process_instances, t.audit_events
    heads_query = sa.select(p.c.id, p.c.audit_seq, p.c.audit_head, p.c.process_id).order_by(p.c.id)
    events_query = sa.select(*raw_columns(db.sa_engine.dialect)).order_by(a.c.instance_id, a.c.seq)
    if instance_id is not None:
        heads_query = heads_query.where(p.c.id == instance_id)
        events_query = events_query.where(a.c.instance_id == instance_id)

    def check(conn: sa.Connection) -> ChainReport:
        found_heads = list(conn.execute(heads_query))
        heads = {r.id: (r.audit_seq, r.audit_head) for r in found_heads}
        processes = {r.id: r.process_id for r in found_heads}
        # the statement's option, not the connection's (which would make every later read
        # on this connection, kept for the next command, a server-side cursor)
        rows = conn.execute(events_query.execution_options(yield_per=_BATCH))
        events = unchained = 0
        breaks: list[ChainBreak] = []
        seen: set[str] = set()
        edited: dict[str, ChainBreak] = {}  # instance -> its first edited column
        unreadable: dict[str, ChainBreak] = {}  # instance -> its first undecodable row
        decode_time = time_decoder(conn.dialect)
        for iid, group in itertools.groupby(
            _stored(rows, processes, edited, unreadable, decode_time), key=lambda e: e.instance_id
        ):
            seen.add(iid)
            count, head = heads.get(iid, (0, None))
            n, loose, found = verify_instance(iid, group, count, head)
            events, unchained = events + n, unchained + loose
            found = _first(found, unreadable.get(iid)) or edited.get(iid)
            if found is not None:
                breaks.append(found)
        for iid, bad in unreadable.items():
            if iid not in seen:  # its first row could not be read: nothing went to the chain
                seen.add(iid)
                breaks.append(bad)
        for iid, (count, _) in heads.items():
            if iid not in seen and count:
                breaks.append(
                    ChainBreak(iid, None, f"the instance records {count} events, none is stored")
                )
        # a trail moved to an id no instance row has is an instance checked too
        return ChainReport(len(seen | heads.keys()), events, unchained, tuple(breaks))

    # one snapshot for both reads, so engines committing meanwhile cannot look like tampering
    # (SQLite: a deferred BEGIN; PostgreSQL: REPEATABLE READ, which a cursor also needs)
    return db.snapshot(check)


def _stored(
    rows: sa.CursorResult[tuple[object, ...]],
    processes: dict[str, str],
    edited: dict[str, ChainBreak],
    unreadable: dict[str, ChainBreak],
    decode_time: Callable[[Any], datetime | None],
) -> Iterator[StoredEvent]:
    """The rows as the chain sees them; a row whose header columns disagree with what it
    hashed (or with its instance) goes into ``edited`` (the first per instance). A row that
    cannot be decoded goes into ``unreadable``, and its instance's later rows are not passed
    on (the chain cannot be followed past it)."""
    for r in rows:
        iid = r.instance_id
        if iid in unreadable:
            continue
        decoded = stored_values(r, decode_time)
        if isinstance(decoded, str):
            seq = r.seq if isinstance(r.seq, int) else None
            unreadable[iid] = ChainBreak(iid, seq, decoded)
            continue
        at, detail = decoded
        if iid not in edited:
            column = _edited_column(r, detail, processes.get(iid))
            if column is not None:
                edited[iid] = ChainBreak(iid, r.seq, column)
        yield StoredEvent(
            iid, r.seq, at, r.kind, r.activity_instance_id, r.activity_id, detail, r.hash
        )


def _first(a: ChainBreak | None, b: ChainBreak | None) -> ChainBreak | None:
    """The break at the earlier event of the same instance (a head break comes last)."""
    if a is None or b is None:
        return a or b
    end = float("inf")
    return b if (b.seq if b.seq is not None else end) < (a.seq if a.seq is not None else end) else a


def _edited_column(
    row: sa.Row[tuple[object, ...]], detail: Any, process_id: str | None
) -> str | None:
    """What is wrong with ``row``'s header columns, or None. Rows written before the chain
    (no hash) kept no user or work item: only their process is checked."""
    told: list[tuple[str, object, object]] = [("process_id", row.process_id, process_id)]
    if row.hash is not None:
        # without the kind: a bare-id detail (an old offer or completion) was written with no
        # work_item_id column, which is what its row must still hold
        user, work_item = header_ids(detail)
        told.append(("user_id", row.user_id, user))
        told.append(("work_item_id", row.work_item_id, work_item))
    for column, stored, expected in told:
        if stored != expected:
            return (
                f"its {column} column says {stored!r} where the event says {expected!r} "
                "(the column was edited)"
            )
    return None
