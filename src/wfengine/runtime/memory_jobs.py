"""The memory store's jobs (timers included): by id, by instance, and in a heap by
``(due, creation)``, so every read costs what it finds, not what the store holds.

A heap entry goes stale when its job is deleted or re-queued under another due time; stale
entries stay until they reach the top (deleting from the middle of a heap costs a rebuild).
Readers tell them by the job they name (:meth:`MemoryJobs.live`). Reads from another thread
while a command runs go over copies (``list(...)``, one step under the GIL), as the store's
other listings do (see ``MemoryStore``'s notes).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import datetime

from wfengine.runtime.jobs import Job, lease_free

#: a heap entry: (due, seq, job id)
Entry = tuple[datetime, int, str]


class MemoryJobs:
    """The jobs of one memory store. ``runnable(job)``: is the job's instance running (only
    those jobs are due, claimed or waited for)."""

    def __init__(self, runnable: Callable[[Job], bool]) -> None:
        self._runnable = runnable
        self.by_id: dict[str, Job] = {}
        self.heap: list[Entry] = []
        #: the ids of each instance's jobs: reading one instance's jobs (its timers for a
        #: status page, a worklist's due dates) is one look-up, however many others there are
        self.of: dict[str, set[str]] = {}

    def live(self, entry: Entry) -> Job | None:
        """The job ``entry`` stands for, unless the entry is stale."""
        job = self.by_id.get(entry[2])
        return job if job is not None and job.due == entry[0] else None

    def listed(self, instance_id: str | None = None) -> list[Job]:
        """The jobs (of ``instance_id``) in ``(due, seq, id)`` order."""
        if instance_id is None:
            found = list(self.by_id.values())
        else:
            by_id = self.by_id
            ids = list(self.of.get(instance_id, ()))
            found = [j for j in map(by_id.get, ids) if j is not None]
        return sorted(found, key=lambda j: (j.due, j.seq, j.id))

    def last_seq(self) -> int:
        return max((j.seq for j in list(self.by_id.values())), default=0)

    def add(self, job: Job) -> None:
        self.by_id[job.id] = job
        self.of.setdefault(job.instance_id, set()).add(job.id)
        heapq.heappush(self.heap, (job.due, job.seq, job.id))

    def requeue(self, job: Job, due: datetime) -> None:
        """Give ``job`` back to run at ``due`` (its old entry goes stale)."""
        job.lock_owner = None
        job.lock_expires_at = None
        job.due = due
        heapq.heappush(self.heap, (due, job.seq, job.id))

    def drop(self, job_id: str) -> None:
        job = self.by_id.pop(job_id, None)
        if job is not None:
            ids = self.of[job.instance_id]
            ids.discard(job_id)
            if not ids:
                del self.of[job.instance_id]

    def drop_of(self, instance_id: str, which: Callable[[Job], bool] | None = None) -> None:
        """Drop the jobs of ``instance_id`` (those ``which`` picks, when given)."""
        for job_id in list(self.of.get(instance_id, ())):
            if which is None or which(self.by_id[job_id]):
                self.drop(job_id)

    def due(self, now: datetime) -> list[Job]:
        """Due jobs of running instances in (due, creation) order."""
        heap = self.heap
        popped: list[Entry] = []
        due: list[Job] = []
        taken: set[str] = set()
        while heap and heap[0][0] <= now:
            entry = heapq.heappop(heap)
            job = self.live(entry)
            if job is None or entry[2] in taken:
                # deleted, re-queued under a later due time, or re-queued under the same
                # one (a parked job retried at the instant it was first due): a stale entry
                continue
            taken.add(entry[2])
            popped.append(entry)
            if self._runnable(job):
                due.append(job)
        for entry in popped:
            heapq.heappush(heap, entry)
        return due

    def claim(
        self,
        owner: str,
        now: datetime,
        lease_until: datetime,
        limit: int,
        kinds: Sequence[str] | None,
        instances: Collection[str] | None,
    ) -> list[Job]:
        """Lease up to ``limit`` due jobs to ``owner`` (the caller holds the store's turn). A
        job taken over from a dead claimant that never started it keeps its attempts, and the
        one that claimant was running is taken after those (the rules of
        :func:`~wfengine.runtime.sql.job_queue.unstarted_of_dead_claims` and
        ``_not_held_back`` there); no job the claim does not take is changed."""
        candidates = [
            job
            for job in self.due(now)
            if (kinds is None or job.kind in kinds)
            and (instances is None or job.instance_id in instances)
            and (job.lock_owner == owner or lease_free(job, now))
        ]
        # (decided before any is leased: leasing a job takes it out of its dead claim)
        first = self._first_of_dead_claims(candidates, now, owner)
        heads = set(first.values())  # (nearly always empty: no claimant died)
        later = {_claim_of(j) for j in candidates if j.id not in heads} if heads else set()
        claimed: list[Job] = []
        for job in candidates:
            if len(claimed) >= limit:
                break
            claim = _claim_of(job)
            if claim in first and first[claim] == job.id and claim in later:
                continue  # (held back: taken after its claim-mates)
            unstarted = claim in first and first[claim] != job.id
            job.lock_owner = owner
            job.lock_expires_at = lease_until
            if not unstarted or job.attempts < 1:
                job.attempts += 1
            claimed.append(job)
        return claimed

    def _first_of_dead_claims(
        self, candidates: Sequence[Job], now: datetime, claimant: str
    ) -> dict[tuple[str | None, datetime | None], str]:
        """The dead claims (one owner but ``claimant``, who is alive, one lease end that ran
        out by ``now``) a job of ``candidates`` (in claim order) belongs to, each with the id
        of its first job still stored, judged over every stored job, whatever its instance's
        state (as the SQL store's query does). Read in claim order up to the last such
        candidate only, and only when a candidate's lease ran out (nothing on the common
        path)."""
        dead: set[tuple[str | None, datetime | None]] = set()
        last: Entry | None = None
        for job in candidates:
            owner, until = job.lock_owner, job.lock_expires_at
            if owner is None or until is None or until > now or owner == claimant:
                continue
            dead.add((owner, until))
            last = (job.due, job.seq, job.id)
        first: dict[tuple[str | None, datetime | None], str] = {}
        if last is None:
            return first
        for entry, stored in self._in_order():
            if entry > last:
                break
            if stored is not None and (claim := _claim_of(stored)) in dead:
                first.setdefault(claim, stored.id)
        return first

    def renew(self, owner: str, job_ids: Iterable[str], lease_until: datetime) -> list[str]:
        held: list[str] = []
        for job_id in job_ids:
            job = self.by_id.get(job_id)
            if job is not None and job.lock_owner == owner:
                job.lock_expires_at = lease_until
                held.append(job_id)
        return held

    def _in_order(self) -> Iterator[tuple[Entry, Job | None]]:
        """The heap's entries in order, each with its live job (None: stale), read without
        taking any out: a frontier of the heap's nodes, so stopping after k entries costs
        k log k, whatever the heap holds. The stale entries on top are dropped first."""
        heap = self.heap
        while heap and self.live(heap[0]) is None:
            heapq.heappop(heap)
        frontier = [(entry, 0) for entry in heap[:1]]
        while frontier:
            entry, at = heapq.heappop(frontier)
            yield entry, self.live(entry)
            first = 2 * at + 1
            # (a slice: a commit in another thread may shrink the heap meanwhile)
            for n, child in enumerate(heap[first : first + 2], first):
                heapq.heappush(frontier, (child, n))

    def next_due_at(self) -> datetime | None:
        """When a job of a running instance can next be claimed: its due time, or its lease's
        end when that is later. Read in due order until no later entry can be earlier: past
        the jobs of suspended instances and the leased ones, never every job (it read every
        job of the store, on every call, once the first job's instance was suspended)."""
        best: datetime | None = None
        for (due, _, _), job in self._in_order():
            if best is not None and due >= best:
                break
            if job is None or not self._runnable(job):
                continue
            lease = job.lock_expires_at
            when = due if lease is None or lease <= due else lease
            best = when if best is None else min(best, when)
        return best

    def first_due_after(self, after: datetime) -> datetime | None:
        """The earliest due time later than ``after`` of any job (claimable or not: what a
        virtual clock moving on from ``after`` stops at), read past the entries due by then
        only."""
        for (due, _, _), job in self._in_order():
            if due > after and job is not None:
                return due
        return None


def _claim_of(job: Job) -> tuple[str | None, datetime | None]:
    """Which claim holds ``job``: its lease's owner and end (renewals renew them together)."""
    return (job.lock_owner, job.lock_expires_at)
