"""The ``jobs`` table as a queue: which jobs are due, leasing them to workers, giving them back.

A job is claimable when it is due, its instance is running, and its lease is free or expired
(``lock_owner``, ``lock_expires_at``); the dialect makes the claim atomic
(:meth:`~wfengine.runtime.sql.dialects.Dialect.claim`). A job taken over from a dead
claimant that never started it keeps its attempts (:func:`unstarted_of_dead_claims`), and the
one that claimant was running is taken after those (:func:`_not_held_back`); a claim writes
only the jobs it takes. Renewing and releasing leases may be called from another thread
than the engine's (a worker's lease keeper): they never use the unit's connection. Jobs are
added and deleted by the commit of a step, not here.

A claimed job whose row, or whose instance's row, cannot be read (a column edited by hand that
is not JSON or not a time, a document that is not an object) is left out of the claim: its
lease undone in the claim's transaction, the job left queued, a warning naming it and its
instance logged once per process, and this queue's claims and its questions of what is due
leave it out for :data:`UNREADABLE_WAIT` seconds (then it is tried again: a repaired row
runs). Why: the claim's rows were decoded by the driver's result processing, so one bad row
failed every claim, and every job of every other instance waited behind it, every round.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Collection, Iterable, Mapping, Sequence
from contextvars import ContextVar
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from wfengine.runtime.jobs import Job
from wfengine.runtime.sql import reads, rows
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.database import Database
from wfengine.runtime.sql.sqlite_memory import private_memory
from wfengine.runtime.sql.undecoded import Processors, decoded, processors, undecoded
from wfengine.runtime.states import ProcessState

_RUNNING = ProcessState.RUNNING.value
_log = logging.getLogger("wfengine.store")
#: seconds a queue's claims leave out a job whose row, or its instance's, cannot be read
UNREADABLE_WAIT = 60.0


class JobQueue:
    """The jobs of ``db``."""

    def __init__(self, db: Database) -> None:
        self._db = db
        #: job id -> when (``time.monotonic``) its claims take it again: its row, or its
        #: instance's, could not be read
        self._unreadable: dict[str, float] = {}
        #: the (job, why) warnings said: once per process for a database others may share
        private = db.dialect.backend == "sqlite" and private_memory(db.sa_engine.url)
        self._said = set() if private else _SAID.setdefault(db.what, set())
        #: (the job's columns, the claim's read's columns) -> their result processors
        self._processors: tuple[Processors, Processors] | None = None

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
        held_kinds = None if kinds is None else tuple(kinds)
        due = due.where(_not_held_back_for(held_kinds, instances is not None))
        left_out = self._left_out()
        if left_out:
            due = due.where(j.c.id.not_in(left_out))
        candidates = due.with_only_columns(j.c.id).limit(limit)
        # (one statement, as before: which dead claims a job belongs to is read along
        # ix_jobs_leased, inside it; a job whose lease is free is never looked further at)
        lease = {"lock_owner": owner, "lock_expires_at": lease_until, "attempts": _COUNTED}

        def claim(conn: sa.Connection) -> tuple[list[Job], dict[str, tuple[str, str]]]:
            if with_instances is not None:
                with_instances.clear()  # what a failed attempt read
            job_columns, read_columns = self._processors_for(conn.dialect)
            claimed = self._db.dialect.claim(conn, j, candidates, lease, _UNDECODED_JOB)
            found: list[Job] = []
            unreadable: dict[str, tuple[str, str]] = {}  # job id -> (instance id, why)
            for r in claimed:
                try:
                    found.append(rows.job(decoded(r, job_columns)))
                except rows.UNREADABLE as exc:
                    unreadable[r["id"]] = (r["instance_id"], f"its row cannot be read ({exc})")
            found.sort(key=lambda x: (x.due, x.seq, x.id))
            if with_instances is not None and found:
                params = {"job_ids": [x.id for x in found]}
                for r in conn.execute(_UNDECODED_CLAIMED, params).mappings():
                    try:
                        with_instances[r["id"]] = _instance_readable(decoded(r, read_columns))
                    except rows.UNREADABLE as exc:
                        why = f"its instance's row cannot be read ({exc})"
                        unreadable[r["id"]] = (r["instance_id"], why)
            # left queued: the claim's lease and its count undone (as release() does; a dead
            # claimant's expired lease goes with it, and a job that claim had not counted
            # again, an unstarted one taken over, counts one fewer: one retry more, no less)
            if unreadable:
                undo = j.update().where(j.c.id.in_(list(unreadable)), j.c.lock_owner == owner)
                conn.execute(undo.values(_unclaimed()))
                found = [x for x in found if x.id not in unreadable]
            return found, unreadable

        token = _claiming.set((now, owner, list(instances or ())))
        try:
            found, unreadable = self._db.write(claim)
        finally:
            _claiming.reset(token)
        if unreadable:
            self._leave_out(unreadable)
        return found

    def _left_out(self) -> list[str]:
        """The jobs this queue's claims leave out now (their rows could not be read)."""
        if not self._unreadable:
            return []
        clock = time.monotonic()
        for job_id, until in list(self._unreadable.items()):
            if until <= clock:
                del self._unreadable[job_id]
        return sorted(self._unreadable)

    def _leave_out(self, unreadable: Mapping[str, tuple[str, str]]) -> None:
        """Leave the jobs ``unreadable`` names out of this queue's claims for a while, saying
        so once per process (a worker's threads each have a queue, and claim every round)."""
        until = time.monotonic() + UNREADABLE_WAIT
        for job_id, (instance_id, why) in sorted(unreadable.items()):
            self._unreadable[job_id] = until
            with _SAID_LOCK:
                said = (job_id, why) in self._said
                self._said.add((job_id, why))
            if not said:
                _log.warning(
                    "left out job %r of instance %r: %s; it stays queued, and runs once the "
                    "row is repaired",
                    *(job_id, instance_id, why),
                )

    def _processors_for(self, dialect: sa.Dialect) -> tuple[Processors, Processors]:
        """The result processors of the claim's rows' columns on ``dialect`` (found once)."""
        if self._processors is None:
            self._processors = (
                processors(t.jobs.c, dialect),
                processors(reads.JOBS_AND_INSTANCES.selected_columns, dialect),
            )
        return self._processors

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
            values = _unclaimed()
        else:
            values["due_at"] = due
        stmt = j.update().where(j.c.id == job_id, j.c.lock_owner == owner).values(**values)
        self._db.write(lambda c: c.execute(stmt), shared=False)

    def has_due(self, now: datetime, *, leased: bool = False) -> bool:
        """Is a job due now (but those left out: they are no work a claim here would take)?"""
        query = _due_query(now, None, None, leased=leased).with_only_columns(t.jobs.c.id).limit(1)
        if left_out := self._left_out():
            query = query.where(t.jobs.c.id.not_in(left_out))
        return self._db.read(lambda c: c.execute(query).first()) is not None

    def next_due_at(self) -> datetime | None:
        """When the earliest job of a running instance can next be claimed: its due time, or
        its lease's end when a lease runs past it. Two reads that stop at their first row: the
        earliest job whose time is its due time, along ``ix_jobs_due_at``, and the earliest
        lease running past its job's due time, along ``ix_jobs_leased`` (the leased jobs only,
        a few); the smaller is the answer. One ``min`` over both times read every pending job
        (a timer of each of thousands of instances): workers ask after every idle round. Jobs
        left out (unreadable rows) are left out here too: their due time would wake an idle
        worker at once, again and again."""
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
        if left_out := self._left_out():
            due, leased = (q.where(j.c.id.not_in(left_out)) for q in (due, leased))
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


#: ``(now, claimant, instances)`` of the claim this thread makes: the values of the bound
#: parameters below, so the statements a claim adds to the due jobs' query are built once
#: (built for each claim, they cost a claim more than running them: 2 ms of 4)
_claiming: ContextVar[tuple[datetime, str, list[str]]] = ContextVar("wfengine_claiming")
_NOW = sa.bindparam(
    "claim_now", type_=t.jobs.c.lock_expires_at.type, callable_=lambda: _claiming.get()[0]
)
_CLAIMANT = sa.bindparam(
    "claim_owner", type_=t.jobs.c.lock_owner.type, callable_=lambda: _claiming.get()[1]
)
_INSTANCES = sa.bindparam(
    "claim_instances",
    type_=t.jobs.c.instance_id.type,
    expanding=True,
    callable_=lambda: _claiming.get()[2],
)


def _claim_counted(now: Any, claimant: Any) -> sa.ColumnElement[Any]:
    """A job's ``attempts`` once ``claimant`` claims it at ``now``: one more, but for a job
    a dead claimant never started (:func:`unstarted_of_dead_claims`): its earlier claim is
    no attempt, so this one takes its place (as if given back unrun, then claimed: at least
    1, what an ``invoke`` job numbers its call by)."""
    j = t.jobs
    unstarted = j.c.id.in_(unstarted_of_dead_claims(now, claimant))
    return j.c.attempts + sa.case((sa.and_(j.c.attempts > 0, unstarted), 0), else_=1)


def unstarted_of_dead_claims(now: Any, claimant: Any) -> sa.Select[Any]:
    """The ids of the jobs whose lease ran out by ``now`` that their claimant (not
    ``claimant``) never started: of the jobs one claim took and still holds (one owner, one
    lease end: renewals renew them together), every one but the first in claim order
    ``(due, seq, id)``, whatever the state of their instances.

    Why: a claim counts in each job's ``attempts``, and a synchronous call in a job numbers its
    first attempt from the earlier claims (:mod:`~wfengine.runtime.job_claims`); a worker
    claims up to ten jobs at once and runs them in that order, deleting each as it finishes.
    When it dies, the first job still stored is the one it was running (a call of it may have
    been made: its claim counts, so a job that kills every worker running it still ends as an
    incident); the ones after it never started. Taken over as they were, each had used up an
    application retry (retries=1: a single transient failure was an incident, audited as
    attempt 2); now the claim that takes one over does not count again (:func:`_claim_counted`).

    Decided by the claim that takes the job, in its own statement, for the jobs it takes
    only: no write when a job starts (a commit per job for every worker), and none of a job
    no one takes. A claimant whose lease ran out may be alive, only slow (a long call, no
    lease keeper): a claim that gave back its later jobs, even one that took nothing
    (``fire_due_timers``), had it call their applications for nothing (the answers
    discarded, the calls made again by the next run). Never ``claimant``'s own (it is
    alive). The first job is taken over after the others (:func:`_not_held_back`): once it
    is gone, nothing tells them from a job the dead claimant started after finishing it. A
    worker that died between two jobs counts the next one's claim, as before, and so does a
    job whose claim-mates were all finished or taken over before it could be (its instance
    suspended meanwhile): one retry fewer, never a call more.

    Uncorrelated (aliases of ``jobs`` only): the statement that leases the jobs reads it once,
    before it changes a row (SQLite changes them one by one; a correlated read would see the
    rows changed before)."""
    d = t.jobs.alias("dead")
    e = t.jobs.alias("same_claim")
    same_claim = sa.exists().where(*_claim_mates(d, e), _earlier(e, d))
    return sa.select(d.c.id).where(
        d.c.lock_expires_at.is_not(None),
        d.c.lock_expires_at <= now,
        d.c.lock_owner != claimant,
        same_claim,
    )


def _not_held_back(
    now: Any, claimant: Any, kinds: Sequence[str] | None, instances: Any
) -> sa.ColumnElement[bool]:
    """The condition a job must meet to be claimed by ``claimant`` at ``now`` (besides being
    due): not the first job still stored of a dead claim (the one its claimant was running)
    while a claim-mate of it, later in claim order, may be claimed by the same claim (due,
    of a running instance, of ``kinds`` and ``instances``).

    Why: only the first job's claim counts as an attempt (:func:`unstarted_of_dead_claims`),
    judged by the jobs still stored; a fresh worker claims one job at first (its batch grows
    with what it learns): took it the first, ran and deleted it, the second was the first
    still stored, and counted a claim that ran nothing. Taken over after its claim-mates, the
    job the dead claimant was running (the likeliest to kill a host again) also no longer
    holds up the others. A job whose lease is free is never looked further at (the first
    test); one whose claim-mates cannot be claimed now (their instances suspended, other
    kinds) is not held back (it would wait for them)."""
    j = t.jobs
    e = t.jobs.alias("earlier_mate")
    y = t.jobs.alias("later_mate")
    claimable = [y.c.due_at <= now, _running(y)]
    if kinds is not None:
        claimable.append(y.c.kind.in_(list(kinds)))
    if instances is not None:
        claimable.append(y.c.instance_id.in_(instances))
    return sa.or_(
        j.c.lock_expires_at.is_(None),
        j.c.lock_expires_at > now,
        j.c.lock_owner == claimant,
        sa.exists().where(*_claim_mates(j, e), _earlier(e, j)),
        ~sa.exists().where(*_claim_mates(j, y), _earlier(j, y), *claimable),
    )


def _claim_mates(a: sa.FromClause, b: sa.FromClause) -> tuple[sa.ColumnElement[bool], ...]:
    """``b`` was leased by the same claim as ``a`` (one owner, one lease end)."""
    return (b.c.lock_owner == a.c.lock_owner, b.c.lock_expires_at == a.c.lock_expires_at)


def _earlier(a: sa.FromClause, b: sa.FromClause) -> sa.ColumnElement[bool]:
    """``a`` comes before ``b`` in claim order ``(due, seq, id)``."""
    return sa.or_(
        a.c.due_at < b.c.due_at,
        sa.and_(
            a.c.due_at == b.c.due_at,
            sa.or_(a.c.seq < b.c.seq, sa.and_(a.c.seq == b.c.seq, a.c.id < b.c.id)),
        ),
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


def _running(j: sa.FromClause = t.jobs) -> sa.Exists:
    """The job's instance is running (``j``: the jobs table, or an alias of it): a lookup of
    that one instance by its key, for each job read. Not a join: SQLite would start from the
    instances' state index and read every running instance (thousands) to find the few that
    have a due job."""
    p = t.process_instances
    return sa.exists().where(p.c.id == j.c.instance_id, p.c.state == _RUNNING)


#: what a claim leases a job with: its count of claims (:func:`_claim_counted`)
_COUNTED = _claim_counted(_NOW, _CLAIMANT)


@lru_cache(maxsize=32)
def _not_held_back_for(kinds: tuple[str, ...] | None, by_instances: bool) -> sa.ColumnElement[bool]:
    """:func:`_not_held_back` for a claim of ``kinds``, of the claim's instances or not
    (built once for each: few kinds are asked for)."""
    return _not_held_back(_NOW, _CLAIMANT, kinds, _INSTANCES if by_instances else None)


#: database (as shown) -> the (job, why) warnings said of its unreadable rows in this process
_SAID: dict[str, set[tuple[str, str]]] = {}
_SAID_LOCK = threading.Lock()


def _unclaimed() -> dict[str, Any]:
    """A claim undone: the lease freed, its count in ``attempts`` taken back."""
    j = t.jobs
    return {
        "lock_owner": None,
        "lock_expires_at": None,
        "attempts": sa.case((j.c.attempts > 0, j.c.attempts - 1), else_=0),
    }


#: the jobs' columns a claim returns, and its read of them with their instances' rows
_UNDECODED_JOB = undecoded(t.jobs.c)
_UNDECODED_CLAIMED = reads.JOBS_AND_INSTANCES.with_only_columns(
    *undecoded(reads.JOBS_AND_INSTANCES.selected_columns)
)


def _instance_readable(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` (a job's, with its instance's row prefixed), once its instance's data and
    document are what the engine writes there: JSON objects (a list edited in would fail the
    command that runs the job, every round, not this claim)."""
    for name in ("data", "state_blob"):
        value = row[f"pi_{name}"]
        if not isinstance(value, dict):
            raise TypeError(f"{name} is {type(value).__name__}, not an object")
    return row
