"""The ``outbox`` table as a delivery queue: due entries, claims, results, pruning.

Entries are inserted by the commit of their step (:mod:`~wfengine.runtime.sql.commit`), pending
and due at once. Delivering one is a claim (a lease, counted in ``attempts`` but for entries a
dead deliverer never began: :func:`~wfengine.runtime.outbox_claims.taken`; atomic, with ``FOR
UPDATE SKIP LOCKED`` on PostgreSQL, so two workers never hold the same entry), the handlers'
calls outside any transaction, then one short transaction recording how it went.
``next_attempt_at`` is NULL once an entry is settled, so the index on it holds only pending
rows and finding what is due never reads the delivered ones kept for the retention period.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from wfengine.runtime.outbox import OutboxRecord, OutboxStatus
from wfengine.runtime.outbox_claims import Candidate, Claim, taken
from wfengine.runtime.sql import rows
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.database import Database

_PENDING = OutboxStatus.PENDING.value
#: the ids an entry can have (the ``id`` column is a BIGINT)
_ID_MIN, _ID_MAX = -(2**63), 2**63 - 1
#: settled states whose rows are deleted after the retention period
_PRUNED = (OutboxStatus.DELIVERED.value, OutboxStatus.SKIPPED.value)


class OutboxQueue:
    """The outbox of ``db`` (see the :class:`~wfengine.runtime.store.Store` protocol for what
    each method promises)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def claim(
        self,
        owner: str,
        now: datetime,
        lease_until: datetime,
        limit: int,
        kinds: Collection[str] | None,
    ) -> list[OutboxRecord]:
        o = t.outbox
        candidates = (
            sa.select(o.c.id, o.c.lock_owner, o.c.lock_expires_at, o.c.last_error.is_not(None))
            .where(o.c.status == _PENDING, *_due(now))
            # in id order from the pending entries' ids (ix_outbox_pending: status is
            # pending exactly when next_attempt_at is set), not the primary key through every
            # delivered and skipped entry kept for the retention period
            .order_by(o.c.id)
            .limit(limit)
            # (PostgreSQL: rows another claimant holds are skipped, and those read are ours
            # until the lease below is written; SQLite has one writer at a time)
            .with_for_update(skip_locked=True, of=o)
        )
        if kinds is not None:
            candidates = candidates.where(o.c.kind.in_(sorted(kinds)))

        def claim(conn: sa.Connection) -> list[OutboxRecord]:
            # which to take and count is decided as in memory (outbox_claims.taken): one
            # more statement per claim than a claim in one UPDATE, none per entry
            due = [_candidate(r) for r in conn.execute(candidates)]
            chosen, unstarted = taken(due, lambda claims: _mates(conn, claims))
            if not chosen:
                return []
            counted: sa.ColumnElement[Any] = o.c.attempts + 1
            if unstarted:  # (their earlier claim stands for this one: see taken)
                counted = o.c.attempts + sa.case(
                    (sa.and_(o.c.id.in_(sorted(unstarted)), o.c.attempts > 0), 0), else_=1
                )
            lease = {"lock_owner": owner, "lock_expires_at": lease_until, "attempts": counted}
            stmt = o.update().where(o.c.id.in_(chosen)).values(lease).returning(*o.c)
            claimed = conn.execute(stmt).mappings().all()
            return sorted((rows.outbox_record(r) for r in claimed), key=lambda r: r.id)

        return self._db.write(claim, shared=False)

    def renew(self, entry_ids: Collection[int], owner: str, lease_until: datetime) -> set[int]:
        # still ours: pending and leased to ``owner`` (a claim by anyone else overwrites the
        # owner, a settlement clears it), even if the lease ran out and nobody claimed it yet;
        # the attempts stay as counted by the claim
        o = t.outbox
        stmt = (
            o.update()
            .where(
                o.c.id.in_(sorted(entry_ids)),
                o.c.status == _PENDING,
                o.c.lock_owner == owner,
            )
            .values(lock_expires_at=lease_until)
            .returning(o.c.id)
        )
        if not entry_ids:
            return set()
        return set(self._db.write(lambda c: list(c.execute(stmt).scalars()), shared=False))

    def skip(self, now: datetime, keep: Collection[str]) -> int:
        o = t.outbox
        stmt = o.update().where(*_due(now)).values(_settled(OutboxStatus.SKIPPED, now))
        if keep:
            stmt = stmt.where(o.c.kind.not_in(sorted(keep)))
        return int(self._db.write(lambda c: c.execute(stmt).rowcount, shared=False))

    def settle(
        self,
        entry_id: int,
        owner: str,
        now: datetime,
        error: str | None,
        retry_at: datetime | None,
    ) -> None:
        o = t.outbox
        stmt = o.update().where(o.c.id == entry_id)
        values: dict[str, Any]
        if error is None:
            values = _settled(OutboxStatus.DELIVERED, now)
        else:
            stmt = stmt.where(o.c.lock_owner == owner)
            if retry_at is None:
                values = {**_settled(OutboxStatus.FAILED, now), "last_error": error}
            else:
                values = {
                    "next_attempt_at": retry_at,
                    "lock_owner": None,
                    "lock_expires_at": None,
                    "last_error": error,
                }
        self._db.write(lambda c: c.execute(stmt.values(values)), shared=False)

    def prune(self, before: datetime) -> int:
        o = t.outbox
        stmt = o.delete().where(o.c.settled_at < before, o.c.status.in_(_PRUNED))
        return int(self._db.write(lambda c: c.execute(stmt).rowcount, shared=False))

    def entries(
        self, status: OutboxStatus | None, instance_id: str | None, limit: int | None
    ) -> list[OutboxRecord]:
        o = t.outbox
        query = sa.select(o).order_by(o.c.id)
        if status is not None:
            query = query.where(o.c.status == status.value)
        if instance_id is not None:
            query = query.where(o.c.instance_id == instance_id)
        if limit is not None:
            query = query.limit(limit)
        found = self._db.read(lambda c: c.execute(query).mappings().all())
        return [rows.outbox_record(r) for r in found]

    def retry(self, entry_ids: Collection[int] | None, now: datetime) -> int:
        o = t.outbox
        stmt = (
            o.update()
            .where(o.c.status == OutboxStatus.FAILED.value)
            .values(
                status=_PENDING,
                attempts=0,
                next_attempt_at=now,
                settled_at=None,
                lock_owner=None,
                lock_expires_at=None,
            )
        )
        if entry_ids is not None:  # (an id past a BIGINT names no entry: not sent, which
            # the driver refused with an OverflowError where the memory store found none)
            stmt = stmt.where(o.c.id.in_(sorted(i for i in entry_ids if _ID_MIN <= i <= _ID_MAX)))
        return int(self._db.write(lambda c: c.execute(stmt).rowcount, shared=False))

    def next_at(self, leased: bool) -> datetime | None:
        o = t.outbox
        when: sa.ColumnElement[Any] = o.c.next_attempt_at
        if not leased:
            when = sa.case(
                (
                    sa.and_(
                        o.c.lock_expires_at.is_not(None),
                        o.c.lock_expires_at > o.c.next_attempt_at,
                    ),
                    o.c.lock_expires_at,
                ),
                else_=o.c.next_attempt_at,
            )
        query = sa.select(sa.type_coerce(sa.func.min(when), t.UtcDateTime)).where(
            o.c.next_attempt_at.is_not(None)
        )
        value = self._db.read(lambda c: c.execute(query).scalar())
        assert value is None or isinstance(value, datetime)
        return value


def _candidate(row: sa.Row[Any]) -> Candidate:
    """A claim's candidate from its ``(id, lock_owner, lock_expires_at, failed)`` row."""
    entry_id, owner, until, failed = tuple(row)
    return Candidate(entry_id, None if owner is None else (owner, until), bool(failed))


def _mates(conn: sa.Connection, claims: set[Claim]) -> list[Candidate]:
    """The pending entries ``claims`` hold (read only after a deliverer left entries leased:
    it reads the pending entries of those owners)."""
    o = t.outbox
    query = sa.select(
        o.c.id, o.c.lock_owner, o.c.lock_expires_at, o.c.last_error.is_not(None)
    ).where(o.c.status == _PENDING, o.c.lock_owner.in_(sorted({c[0] for c in claims})))
    found = (_candidate(r) for r in conn.execute(query))
    return [c for c in found if c.claim in claims]


def _due(now: datetime) -> tuple[sa.ColumnElement[bool], ...]:
    """The conditions of a pending entry due at ``now`` whose lease is free or expired."""
    o = t.outbox
    return (
        o.c.next_attempt_at <= now,
        sa.or_(o.c.lock_expires_at.is_(None), o.c.lock_expires_at <= now),
    )


def _settled(status: OutboxStatus, now: datetime) -> dict[str, Any]:
    return {
        "status": status.value,
        "settled_at": now,
        "next_attempt_at": None,
        "lock_owner": None,
        "lock_expires_at": None,
    }
