"""The ``jobs`` table as a queue: which jobs are due, leasing them to workers, giving them back.

A job is claimable when it is due, its instance is running, and its lease is free or expired
(``lock_owner``, ``lock_expires_at``); the dialect makes the claim atomic
(:meth:`~wfengine.runtime.sql.dialects.Dialect.claim`). A claim first gives back the jobs a
dead claimant never started (:func:`unstarted_of_dead_claims`). Renewing and releasing leases
may be called from another thread than the engine's (a worker's lease keeper): they never use
the unit's connection. Jobs are added and deleted by the commit of a step, not here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from wfengine.runtime.jobs import Job
from wfengine.runtime.sql import reads, rows
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.database import Database
from wfengine.runtime.states import ProcessState

_RUNNING = ProcessState.RUNNING.value


class JobQueue:
    """The jobs of ``db``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def job(self, job_id: str) -> Job | None:
        params = {"job_id": job_id}
        row = self._db.row(reads.JOB, params)
        return None if row is None else rows.job(row)

    def jobs(self, instance_id: str | None = None) -> list[Job]:
        j = t.jobs
        query = sa.select(j).order_by(j.c.due_at, j.c.seq, j.c.id)
        if instance_id is not None:
            query = query.where(j.c.instance_id == instance_id)
        return [rows.job(r) for r in self._db.read(lambda c: c.execute(query).mappings().all())]

    def last_seq(self) -> int:
        query = sa.select(sa.func.max(t.jobs.c.seq))
        return int(self._db.read(lambda c: c.execute(query).scalar()) or 0)

    def claim(
        self,
        owner: str,
        now: datetime,
        lease_until: datetime,
        limit: int,
        kinds: Sequence[str] | None = None,
        instances: Collection[str] | None = None,
        with_instances: dict[str, dict[str, Any]] | None = None,
    ) -> list[Job]:
        """Lease up to ``limit`` due jobs to ``owner`` (of ``kinds``, of ``instances``, when
        given); ``with_instances``: filled, in the same transaction, with each claimed job's
        row and its instance's whole row
        (:data:`~wfengine.runtime.sql.reads.JOBS_AND_INSTANCES`), by job id."""
        j = t.jobs
        due = _due_query(now, owner, kinds)
        if instances is not None:
            due = due.where(j.c.instance_id.in_(list(instances)))
        candidates = due.with_only_columns(j.c.id).limit(limit)
        lease = {"lock_owner": owner, "lock_expires_at": lease_until, "attempts": j.c.attempts + 1}

        def claim(conn: sa.Connection) -> list[Job]:
            if with_instances is not None:
                with_instances.clear()  # what a failed attempt read
            # (one statement, in the claim's transaction: a range of ix_jobs_leased, empty
            # unless a claimant died; on SQLite a read that finds nothing and writes nothing)
            self._db.dialect.claim(conn, j, unstarted_of_dead_claims(now, owner), _UNSTARTED)
            claimed = self._db.dialect.claim(conn, j, candidates, lease)
            found = sorted((rows.job(r) for r in claimed), key=lambda x: (x.due, x.seq, x.id))
            if with_instances is not None and found:
                params = {"job_ids": [x.id for x in found]}
                read = conn.execute(reads.JOBS_AND_INSTANCES, params).mappings()
                with_instances.update((r["id"], dict(r)) for r in read)
            return found

        return self._db.write(claim)

    def renew(self, owner: str, job_ids: Iterable[str], lease_until: datetime) -> list[str]:
        ids = list(job_ids)
        if not ids:
            return []
        j = t.jobs
        stmt = (
            j.update()
            .where(j.c.id.in_(ids), j.c.lock_owner == owner)
            .values(lock_expires_at=lease_until)
            .returning(j.c.id)
        )
        return list(self._db.write(lambda c: c.execute(stmt).scalars().all(), shared=False))

    def release(self, job_id: str, owner: str, due: datetime | None = None) -> None:
        """Give ``owner``'s claim of the job back. With no ``due`` the job was not run (a
        worker stopping, the jobs after one that stopped a run, a dead worker's unstarted
        jobs): its claim's count in ``attempts`` is undone, since an application's retries
        are counted from it and a call never made must not use one up. With ``due`` (a
        back-off after a run that began) the count stays."""
        j = t.jobs
        values: dict[str, Any] = {"lock_owner": None, "lock_expires_at": None}
        if due is None:
            values["attempts"] = sa.case((j.c.attempts > 0, j.c.attempts - 1), else_=0)
        else:
            values["due_at"] = due
        stmt = j.update().where(j.c.id == job_id, j.c.lock_owner == owner).values(**values)
        self._db.write(lambda c: c.execute(stmt), shared=False)

    def has_due(self, now: datetime, *, leased: bool = False) -> bool:
        query = _due_query(now, None, None, leased=leased).with_only_columns(t.jobs.c.id).limit(1)
        return self._db.read(lambda c: c.execute(query).first()) is not None

    def next_due_at(self) -> datetime | None:
        """When the earliest job of a running instance can next be claimed: its due time, or
        its lease's end when a lease runs past it. Two reads that stop at their first row: the
        earliest job whose time is its due time, along ``ix_jobs_due_at``, and the earliest
        lease running past its job's due time, along ``ix_jobs_leased`` (the leased jobs only,
        a few); the smaller is the answer. One ``min`` over both times read every pending job
        (a timer of each of thousands of instances): workers ask after every idle round."""
        j = t.jobs
        free = sa.or_(j.c.lock_expires_at.is_(None), j.c.lock_expires_at <= j.c.due_at)
        due = sa.select(j.c.due_at).where(free, _running()).order_by(j.c.due_at).limit(1)
        leased = (
            sa.select(j.c.lock_expires_at)
            .where(j.c.lock_expires_at.is_not(None), j.c.lock_expires_at > j.c.due_at)
            .where(_running())
            .order_by(j.c.lock_expires_at)
            .limit(1)
        )
        query = sa.select(due.scalar_subquery(), leased.scalar_subquery())
        found = self._db.read(lambda c: c.execute(query).one())
        times = [v for v in found if v is not None]
        assert all(isinstance(v, datetime) for v in times)
        return min(times, default=None)

    def first_due_after(self, after: datetime) -> datetime | None:
        j = t.jobs
        query = sa.select(j.c.due_at).where(j.c.due_at > after).order_by(j.c.due_at).limit(1)
        value = self._db.read(lambda c: c.execute(query).scalar())
        assert value is None or isinstance(value, datetime)
        return value


#: what a job a dead claimant never started gets (as :meth:`JobQueue.release` without ``due``)
_UNSTARTED: dict[str, Any] = {
    "lock_owner": None,
    "lock_expires_at": None,
    "attempts": sa.case((t.jobs.c.attempts > 0, t.jobs.c.attempts - 1), else_=0),
}


def unstarted_of_dead_claims(now: datetime, claimant: str) -> sa.Select[Any]:
    """The ids of the jobs whose lease ran out by ``now`` that their claimant (not
    ``claimant``) never started: of the jobs one claim took and still holds (one owner, one
    lease end: renewals renew them together), every one but the first in claim order
    ``(due, seq, id)``.

    Why: a claim counts in each job's ``attempts``, and a synchronous call in a job numbers its
    first attempt from the earlier claims (:mod:`~wfengine.runtime.job_claims`); a worker
    claims up to ten jobs at once and runs them in that order, deleting each as it finishes.
    When it dies, the first job still stored is the one it was running (a call of it may have
    been made: its claim counts, so a job that kills every worker running it still ends as an
    incident); the ones after it never started. Taken over as they were, each had used up an
    application retry (retries=1: a single transient failure was an incident, audited as
    attempt 2). Given back unstarted, as a worker stopping gives them back, they are not.
    Found when a claim is made, in its transaction, not by a write when a job starts: that
    would be a commit per job for every worker. A worker that died between two jobs counts the
    next one's claim, as before. Only jobs a claim could take (of running instances, as the
    memory store's claim sees them): one of a suspended instance is given back by the first
    claim after its resume. Never ``claimant``'s own: it is alive, and may be running them
    (an application that moved a virtual clock past their lease, the timers that fired then
    claimed in between: its jobs after that one were given back, left unrun)."""
    j = t.jobs
    e = j.alias("same_claim")
    earlier = sa.or_(
        e.c.due_at < j.c.due_at,
        sa.and_(
            e.c.due_at == j.c.due_at,
            sa.or_(e.c.seq < j.c.seq, sa.and_(e.c.seq == j.c.seq, e.c.id < j.c.id)),
        ),
    )
    same_claim = sa.exists().where(
        e.c.lock_owner == j.c.lock_owner, e.c.lock_expires_at == j.c.lock_expires_at, earlier
    )
    return sa.select(j.c.id).where(
        j.c.lock_expires_at.is_not(None),
        j.c.lock_expires_at <= now,
        j.c.lock_owner != claimant,
        _running(),
        same_claim,
    )


def _due_query(
    now: datetime,
    owner: str | None,
    kinds: Sequence[str] | None,
    *,
    leased: bool = False,
) -> sa.Select[Any]:
    """Due jobs of running instances whose lease is free (or ``owner``'s; any lease with
    ``leased``), in due order."""
    j = t.jobs
    query = sa.select(j).where(j.c.due_at <= now, _running()).order_by(j.c.due_at, j.c.seq, j.c.id)
    if not leased:
        free = sa.or_(j.c.lock_expires_at.is_(None), j.c.lock_expires_at <= now)
        if owner is not None:
            free = sa.or_(free, j.c.lock_owner == owner)
        query = query.where(free)
    if kinds is not None:
        query = query.where(j.c.kind.in_(list(kinds)))
    return query


def _running() -> sa.Exists:
    """The job's instance is running: a lookup of that one instance by its key, for each job
    read. Not a join: SQLite would start from the instances' state index and read every
    running instance (thousands) to find the few that have a due job."""
    j, p = t.jobs, t.process_instances
    return sa.exists().where(p.c.id == j.c.instance_id, p.c.state == _RUNNING)
