"""Listing instances on the SQL store: in creation order, filtered, paged by keyset; and the
ids of the instances open at some activities or with given correlation keys, in that order.

The order is ``(created_at, length(id), id)``: creation time, then ids by length and text, so
``pi-2`` comes before ``pi-10`` among instances one command created; the id text by code
point on every database (:func:`~wfengine.runtime.sql.bytewise.bytewise`). Migration 0011 indexes
exactly that, so a page, and the page after a given instance, is one index range.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from wfengine.errors import DeployError, NotFoundError
from wfengine.runtime.instance import ProcessInstance, Timer, WorkItem
from wfengine.runtime.jobs import JOB_TIMER, job_timer
from wfengine.runtime.snapshots import InstanceSummary
from wfengine.runtime.sql import reads, rows
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.audit_rows import decoded_events, log_skipped, raw_columns, time_decoder
from wfengine.runtime.sql.bytewise import bytewise, id_order
from wfengine.runtime.sql.database import Database
from wfengine.runtime.states import ProcessState, WorkItemState
from wfengine.runtime.store import AuditEvent

_log = logging.getLogger("wfengine.store")


def compiled_only(
    found: Iterable[Mapping[Any, Any]], load: Callable[[Mapping[Any, Any]], ProcessInstance]
) -> list[ProcessInstance]:
    """The instances of the rows ``found`` (``load``-ed), leaving out each on a stored version
    that no longer compiles (stored by an earlier wfengine), with a warning on the
    ``wfengine.store`` logger naming it and why. Before, ``Engine.instances()`` raised that
    one instance's DeployError for the whole database; such a version fails only what needs
    it (the instance itself), as the work list and ``instance_summaries()`` leave it out."""
    loaded: list[ProcessInstance] = []
    for row in found:
        try:
            loaded.append(load(row))
        except DeployError as exc:
            _log.warning(
                "left out instance %r (process %r version %s) of the instance listing: %s",
                row["id"],
                row["process_id"],
                row["definition_version"],
                exc,
            )
    return loaded


def ordered(
    query: sa.Select[Any],
    state: ProcessState | None,
    process_id: str | None,
    db: Database | None = None,
) -> sa.Select[Any]:
    """``query`` over ``process_instances`` in creation order, filtered as listings are; the
    ids by code point (:func:`~wfengine.runtime.sql.bytewise.id_order` on ``db``; without
    it, collated on PostgreSQL whatever the database's collation)."""
    p = t.process_instances
    key = bytewise(p.c.id) if db is None else id_order(db, p.c.id)
    query = query.order_by(p.c.created_at, sa.func.length(p.c.id), key)
    if state is not None:
        query = query.where(p.c.state == state.value)
    if process_id is not None:
        query = query.where(p.c.process_id == process_id)
    return query


def summaries(
    db: Database,
    state: ProcessState | None,
    process_id: str | None,
    limit: int | None,
    after: str | None,
) -> list[InstanceSummary]:
    """A page of instance summaries (see :meth:`Store.instance_summaries
    <wfengine.runtime.store.Store.instance_summaries>`). Rows that cannot be read are left
    out (logged), and the page is filled from the rows after them: a short page is the last."""
    base = ordered(sa.select(*rows.SUMMARY_COLUMNS), state, process_id, db)
    found: list[InstanceSummary] = []
    listed = False  # ``after`` is a row this listing read (its time may be unreadable)
    while True:
        query = base if after is None else _after(db, base, after, listed)
        wanted = None if limit is None else limit - len(found)
        if wanted is not None:
            query = query.limit(wanted)

        def read(c: sa.Connection, q: sa.Select[Any] = query) -> Sequence[sa.RowMapping]:
            return c.execute(q).mappings().all()

        try:
            fetched = db.read(read)
        except (ValueError, TypeError):  # a column its type cannot read: see which rows
            ids, page = _one_by_one(db, query)
        else:
            page = rows.summaries(fetched)
            if len(page) == len(fetched):  # all read (the usual page): done
                found.extend(page)
                return found
            ids = [row["id"] for row in fetched]
        found.extend(page)
        if limit is None or len(ids) < (wanted or 0) or len(found) >= limit or not ids:
            return found  # every row read, or the page full
        after, listed = ids[-1], True  # rows were left out of a full page: fill it up


def _after(db: Database, query: sa.Select[Any], after: str, listed: bool) -> sa.Select[Any]:
    """``query`` from the instance after ``after`` on, in listing order. Its time is compared
    by the database as it is stored, never read into Python: a row whose time cannot be
    read (left out of listings, with a message) still serves as the cursor. ``listed``: a
    row just read, so known to exist; otherwise an unknown id raises NotFoundError."""
    p = t.process_instances
    if not listed:
        found = db.read(lambda c: c.execute(sa.select(p.c.id).where(p.c.id == after)).first())
        if found is None:
            raise NotFoundError("process instance", after)
    at = sa.select(p.c.created_at).where(p.c.id == after).scalar_subquery()
    order = sa.tuple_(p.c.created_at, sa.func.length(p.c.id), id_order(db, p.c.id))
    return query.where(order > sa.tuple_(at, len(after), after))


def _one_by_one(db: Database, query: sa.Select[Any]) -> tuple[list[str], list[InstanceSummary]]:
    """The ids of ``query``'s rows, and the rows read one at a time, leaving out (and
    logging) those that fail: a tampered or foreign row must not hide every other instance
    from a listing."""
    id_column = t.process_instances.c.id
    ids = db.read(lambda c: c.execute(query.with_only_columns(id_column)).scalars().all())
    found: list[InstanceSummary] = []
    for instance_id in ids:
        one = query.where(id_column == instance_id)

        def read(c: sa.Connection, one: sa.Select[Any] = one) -> Sequence[sa.RowMapping]:
            return c.execute(one).mappings().all()

        try:
            found.extend(rows.summaries(db.read(read)))
        except (ValueError, TypeError) as exc:
            rows.skipped(instance_id, exc)
    return list(ids), found


def open_at(db: Database, process_id: str, activity_ids: Collection[str]) -> list[str]:
    """The instances of ``process_id`` with an open instance of one of ``activity_ids``, in
    creation order."""
    a, p = t.activity_instances, t.process_instances
    if not activity_ids:
        return []
    inside = (
        sa.select(a.c.instance_id)
        .where(
            a.c.process_id == process_id,
            a.c.activity_id.in_(sorted(activity_ids)),
            a.c.state.like("open.%"),
        )
        .distinct()
    )
    query = sa.select(p.c.id).where(p.c.id.in_(inside))
    listed = ordered(query, None, None, db)  # (outside the read: it may ask the database)
    return list(db.read(lambda c: c.execute(listed).scalars().all()))


def correlated(db: Database, keys: Mapping[str, Any]) -> list[str]:
    """The instances whose correlation keys have every value of ``keys``, in creation order
    (one index lookup per key: ``(key, value_sha256)``, then the values compared, as the
    index holds digests)."""
    if not keys:
        return []
    k, p = t.correlation_keys, t.process_instances
    found: set[str] | None = None
    for key, value in keys.items():
        forms = rows.correlation_forms(value)
        query = sa.select(k.c.instance_id).where(
            k.c.key == key,
            k.c.value_sha256.in_([rows.correlation_digest(form) for form in forms]),
            k.c.value.in_(forms),
        )

        def read(c: sa.Connection, q: sa.Select[Any] = query) -> Sequence[str]:
            return c.execute(q).scalars().all()

        ids = set(db.read(read))
        found = ids if found is None else found & ids
    if not found:
        return []
    query = sa.select(p.c.id).where(p.c.id.in_(sorted(found)))
    listed = ordered(query, None, None, db)  # (outside the read: it may ask the database)
    return list(db.read(lambda c: c.execute(listed).scalars().all()))


#: most ids one statement's IN list holds (SQLite builds before 3.32 took at most 999 values)
_ID_CHUNK = 500


def id_chunks(ids: Sequence[str]) -> list[list[str]]:
    return [list(ids[n : n + _ID_CHUNK]) for n in range(0, len(ids), _ID_CHUNK)]


def events_of(
    conn: sa.Connection, instance_ids: Sequence[str], kinds: Sequence[str]
) -> list[AuditEvent]:
    """The audit events of ``kinds`` of the instances ``instance_ids``, by instance and
    ``seq``: one range of ``ix_audit_events_instance_at`` per instance, so the read costs
    what those instances hold, not the whole trail (a listing's access check, see
    :mod:`wfengine.runtime.listing_facts`)."""
    a = t.audit_events
    found: list[AuditEvent] = []
    columns, decode_time = raw_columns(conn.dialect), time_decoder(conn.dialect)
    for chunk in id_chunks(instance_ids):
        stmt = (
            sa.select(*columns)
            .where(a.c.instance_id.in_(chunk), a.c.kind.in_(list(kinds)))
            .order_by(a.c.instance_id, a.c.seq)
        )
        # a row that cannot be read is left out, named, as every read of the trail does: it
        # then counts for no one (no creator, no offer), which refuses rather than grants
        events, skipped = decoded_events(conn.execute(stmt), decode_time)
        found.extend(events)
        log_skipped(skipped)
    return found


def open_items_of(conn: sa.Connection, instance_ids: Sequence[str]) -> list[WorkItem]:
    """The open work items of the instances ``instance_ids`` (``ix_work_items_instance_state``),
    in creation order."""
    w = t.work_items
    states = list(reads.OPEN_ITEM_STATES)
    found: list[WorkItem] = []
    for chunk in id_chunks(instance_ids):
        stmt = sa.select(w).where(w.c.instance_id.in_(chunk), w.c.state.in_(states))
        found.extend(rows.work_item(r) for r in conn.execute(stmt).mappings())
    found.sort(key=lambda item: (item.created_at, len(item.id), item.id))
    return found


def summaries_of(conn: sa.Connection, instance_ids: Sequence[str]) -> list[InstanceSummary]:
    """The summaries of the instances ``instance_ids`` that exist (rows that cannot be read
    are left out, logged, as listings leave them)."""
    p = t.process_instances
    found: list[InstanceSummary] = []
    for chunk in id_chunks(instance_ids):
        stmt = sa.select(*rows.SUMMARY_COLUMNS).where(p.c.id.in_(chunk))
        found.extend(rows.summaries(conn.execute(stmt).mappings().all()))
    return found


def deadline_timers_of(conn: sa.Connection, instance_ids: Sequence[str]) -> list[Timer]:
    """The deadline timers of the instances ``instance_ids`` (``ix_jobs_instance_id``), each as
    :meth:`SqlStore.timers <wfengine.runtime.sql.store.SqlStore.timers>` gives one instance's
    (a work list page's due times: :mod:`wfengine.worklist.due_reads`)."""
    j = t.jobs
    found: list[Timer] = []
    for chunk in id_chunks(instance_ids):
        stmt = sa.select(j).where(j.c.instance_id.in_(chunk), j.c.kind == JOB_TIMER)
        found.extend(job_timer(rows.job(r)) for r in conn.execute(stmt).mappings())
    return found


def containers_of(conn: sa.Connection, activity_instance_ids: Sequence[str]) -> dict[str, str]:
    """The container each of ``activity_instance_ids`` names (``mi_parent_id``, the mirror
    row of an instance of a multi-instance activity), by id: those whose row names none (or
    that have no row) are not in it."""
    a = t.activity_instances
    found: dict[str, str] = {}
    for chunk in id_chunks(activity_instance_ids):
        stmt = sa.select(a.c.id, a.c.mi_parent_id).where(
            a.c.id.in_(chunk), a.c.mi_parent_id.is_not(None)
        )
        found.update((r.id, r.mi_parent_id) for r in conn.execute(stmt))
    return found


def worklist_reads(
    db: Database,
    user: str,
    state: WorkItemState | None,
    process_id: str | None,
    after: tuple[datetime, str] | None,
    limit: int | None,
) -> list[sa.Select[Any]]:
    """The statements of a page of ``user``'s work list (``SqlStore.worklist``): two index
    range scans, each in (created_at, id) order and limited, merged by the caller: the items
    a user holds (ix_work_items_held, open ones only) and those offered to them
    (work_item_offers' key), so a page reads neither other users' items nor the ones this
    user completed."""
    w, o, p = t.work_items, t.work_item_offers, t.process_instances
    wid, oid = id_order(db, w.c.id), id_order(db, o.c.work_item_id)
    queries = []
    if state is None or state.value in t.HELD_ITEM_STATES:
        q = sa.select(w).where(w.c.holder == user, t.held_state(w.c.state))
        if state is not None:
            q = q.where(w.c.state == state.value)
        if after is not None:
            q = q.where(sa.tuple_(w.c.created_at, wid) > sa.tuple_(*after))
        queries.append(q.order_by(w.c.created_at, wid))
    if state is None or state is WorkItemState.OFFERED:
        q = sa.select(w).join(o, o.c.work_item_id == w.c.id).where(o.c.user_id == user)
        if after is not None:
            q = q.where(sa.tuple_(o.c.created_at, oid) > sa.tuple_(*after))
        queries.append(q.order_by(o.c.created_at, oid))
    if process_id is not None:
        of_process = sa.select(p.c.id).where(p.c.process_id == process_id)
        queries = [q.where(w.c.instance_id.in_(of_process)) for q in queries]
    if limit is not None:
        queries = [q.limit(limit) for q in queries]
    return queries


class SeenStates(threading.local):
    """The states of the instances whose work items this thread's latest item read returned
    (``instance_state``, read in the same statement; a work list page's reads carry none,
    its marks read them, once per page), kept for the marks of that read
    (:mod:`~wfengine.runtime.work_item_marks`): before, marking a listing read the states
    again, a second statement for every ``work_items(iid)``. Each item read replaces them,
    and the marks take them once, so none outlives the read that saw it."""

    def __init__(self) -> None:  # (run in each thread at its first use)
        #: instance id -> its ``state`` column, as the latest item read saw it
        self.states: dict[str, str] = {}

    def saw(self, found: Iterable[Mapping[str, Any]]) -> None:
        """Keep the states the item rows ``found`` carry (the latest read's, only)."""
        states = ((r["id"], r["instance_id"], r.get("instance_state")) for r in found)
        self.states = {instance_id: s for item, instance_id, s in states if item and s}

    def take(self) -> dict[str, str]:
        """The kept states, forgotten here (a later look-up reads afresh)."""
        states, self.states = self.states, {}
        return states


def states_of(db: Database, instance_ids: Sequence[str]) -> dict[str, str]:
    """The ``state`` columns of those of ``instance_ids`` that exist (a statement per 500)."""
    p = t.process_instances

    def read(conn: sa.Connection) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in id_chunks(instance_ids):
            stmt = sa.select(p.c.id, p.c.state).where(p.c.id.in_(chunk))
            found.update((r.id, r.state) for r in conn.execute(stmt))
        return found

    return db.read(read)
