"""Listing instances on the SQL store: in creation order, filtered, paged by keyset; and the
ids of the instances open at some activities or with given correlation keys, in that order.

The order is ``(created_at, length(id), id)``: creation time, then ids by length and text, so
``pi-2`` comes before ``pi-10`` among instances one command created. Migration 0011 indexes
exactly that, so a page, and the page after a given instance, is one index range.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from wfengine.errors import NotFoundError
from wfengine.runtime.snapshots import InstanceSummary
from wfengine.runtime.sql import rows
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.database import Database
from wfengine.runtime.states import ProcessState


def ordered(
    query: sa.Select[Any], state: ProcessState | None, process_id: str | None
) -> sa.Select[Any]:
    """``query`` over ``process_instances`` in creation order, filtered as listings are."""
    p = t.process_instances
    query = query.order_by(p.c.created_at, sa.func.length(p.c.id), p.c.id)
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
    <wfengine.runtime.store.Store.instance_summaries>`)."""
    query = ordered(sa.select(*rows.SUMMARY_COLUMNS), state, process_id)
    if after is not None:
        p = t.process_instances
        where = sa.select(p.c.created_at).where(p.c.id == after)
        created = db.read(lambda c: c.execute(where).scalar())
        if created is None:
            raise NotFoundError("process instance", after)
        listed = sa.tuple_(p.c.created_at, sa.func.length(p.c.id), p.c.id)
        at = sa.literal(created, p.c.created_at.type)
        query = query.where(listed > sa.tuple_(at, len(after), after))
    if limit is not None:
        query = query.limit(limit)
    try:
        found = db.read(lambda c: c.execute(query).mappings().all())
    except (ValueError, TypeError):  # a column its type cannot read: see which rows
        return _one_by_one(db, query)
    return rows.summaries(found)


def _one_by_one(db: Database, query: sa.Select[Any]) -> list[InstanceSummary]:
    """``query``'s rows read one at a time, leaving out (and logging) those that fail: a
    tampered or foreign row must not hide every other instance from a listing."""
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
    return found


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
    return list(db.read(lambda c: c.execute(ordered(query, None, None)).scalars().all()))


def correlated(db: Database, keys: Mapping[str, Any]) -> list[str]:
    """The instances whose correlation keys have every value of ``keys``, in creation order
    (one index lookup per key: ``(key, value)``)."""
    if not keys:
        return []
    k, p = t.correlation_keys, t.process_instances
    found: set[str] | None = None
    for key, value in keys.items():
        query = sa.select(k.c.instance_id).where(
            k.c.key == key, k.c.value == rows.correlation_value(value)
        )

        def read(c: sa.Connection, q: sa.Select[Any] = query) -> Sequence[str]:
            return c.execute(q).scalars().all()

        ids = set(db.read(read))
        found = ids if found is None else found & ids
    if not found:
        return []
    query = sa.select(p.c.id).where(p.c.id.in_(sorted(found)))
    return list(db.read(lambda c: c.execute(ordered(query, None, None)).scalars().all()))
