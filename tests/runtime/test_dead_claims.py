"""A host that died holding a batch of claimed jobs (a worker claims up to ten at once) was
running one of them: only that one's claim is an attempt of the call it was making. The others
were never started, and taken over they keep their whole retry budget (the one it was running
is taken over after them); a job that kills every host running it is still counted each time,
and ends as an incident. A claim changes no job it does not take: a host whose lease ran out
during a long call, alive, keeps the rest of its batch."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from tests.runtime.made_attempts import made_attempts
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="7").data_field("y", "STRING")
    p.application("app", params=[("a", "IN", "INTEGER"), ("b", "OUT", "STRING")])
    p.activity("call", tool="app", args=["x", "y"])
    return pb


def _started(engine: Engine, count: int) -> list[str]:
    """``count`` instances whose one job waits for a worker, in the order they are claimed
    (an application allowed one retry, whose first call for each instance fails)."""
    failed: set[int] = set()

    def flaky(a: int) -> dict[str, str]:
        if a not in failed:
            failed.add(a)
            raise ConnectionError(f"down for {a}")
        return {"b": "ok"}

    engine.applications.sleep = lambda s: None
    engine.applications.register("app", flaky, retries=1)
    engine.deploy(_package().build())
    ids = []
    for n in range(count):
        iid = engine.create_instance("main", {"x": n})
        engine.start(iid, defer=True)
        ids.append(iid)
    return ids


def test_only_the_running_job_of_a_dead_claim_counts_it(
    engine: Engine, clock: VirtualClock
) -> None:
    ids = _started(engine, 4)
    now = clock.now()
    # a worker claims the four at once, finishes none (the first was running) and dies
    claimed = engine.store.claim_jobs("dead", now, now + timedelta(seconds=1), 10)
    assert [j.instance_id for j in claimed] == ids
    clock.advance(timedelta(seconds=5))
    assert engine.run_due_jobs(limit=1) == 1  # taken over one at a time, as a fresh worker does
    while engine.run_due_jobs(limit=1):
        pass
    # the first's call was being made: numbered on from there, its one retry is spent
    assert made_attempts(engine, ids[0]) == [2]
    assert len(engine.incidents(ids[0])) == 1
    # the others' claim ran nothing: a transient failure is retried, as on a first run
    for iid in ids[1:]:
        assert made_attempts(engine, iid) == [1, 2], iid
        assert engine.incidents(iid) == []
        assert engine.instance(iid).state.value == "closed.completed"


def test_a_dead_claim_whose_first_jobs_finished_counts_the_next(
    engine: Engine, clock: VirtualClock
) -> None:
    ids = _started(engine, 3)
    now = clock.now()
    claimed = engine.store.claim_jobs("dead", now, now + timedelta(seconds=1), 10)
    # the first finished (its deletion committed), the second was running when the host died
    engine.store.release_job(claimed[0].id, "dead")
    assert engine.run_due_jobs(owner="other", limit=1) == 1
    clock.advance(timedelta(seconds=5))
    while engine.run_due_jobs(limit=1):
        pass
    assert made_attempts(engine, ids[1]) == [2]
    assert len(engine.incidents(ids[1])) == 1
    assert made_attempts(engine, ids[2]) == [1, 2]
    assert engine.incidents(ids[2]) == []


def test_a_job_killing_every_host_is_counted_each_time(engine: Engine, clock: VirtualClock) -> None:
    ids = _started(engine, 3)
    now = clock.now()
    engine.store.claim_jobs("one", now, now + timedelta(seconds=1), 10)  # dies in the first
    clock.advance(timedelta(seconds=5))
    # the next host takes the two the first never started (their claim was no attempt), runs
    # them, then the first one, and dies in it as well
    assert engine.run_due_jobs(owner="two", limit=10) == 2
    for iid in ids[1:]:
        assert made_attempts(engine, iid) == [1, 2], iid
    now = clock.now()
    [job] = engine.store.claim_jobs("two", now, now + timedelta(seconds=1), 10)
    assert (job.instance_id, job.attempts) == (ids[0], 2)
    clock.advance(timedelta(seconds=5))
    while engine.run_due_jobs(limit=1):
        pass
    # two calls were made and lost: the third is past the budget of two, made once more and
    # its failure final
    assert made_attempts(engine, ids[0]) == [3]
    (incident,) = engine.incidents(ids[0])
    assert incident.attempts == 3 and "3 attempts made, 2 allowed" in incident.message


def test_a_claim_taking_a_whole_dead_claim_counts_only_the_running_job(
    engine: Engine, clock: VirtualClock
) -> None:
    ids = _started(engine, 3)
    now = clock.now()
    engine.store.claim_jobs("dead", now, now + timedelta(seconds=1), 10)
    clock.advance(timedelta(seconds=5))
    while engine.run_due_jobs(limit=10):  # a worker whose batch holds them all
        pass
    assert made_attempts(engine, ids[0]) == [2]
    assert len(engine.incidents(ids[0])) == 1
    for iid in ids[1:]:
        assert made_attempts(engine, iid) == [1, 2], iid
        assert engine.incidents(iid) == []


def test_a_claim_changes_no_job_it_does_not_take(engine: Engine, clock: VirtualClock) -> None:
    # host H runs its batch [J1, J2] of asynchronous calls; J1's call outlasts H's lease (no
    # lease keeper) while another engine fires its timers: J2 stays H's, and is called once
    other = Engine(store=engine.store, clock=clock)
    calls: Counter[int] = Counter()
    fired: list[int] = []

    def app(a: int) -> dict[str, Any]:
        calls[a] += 1
        if a == 0 and not fired:
            clock.advance(timedelta(seconds=90))  # (the lease is 60 s)
            fired.append(other.fire_due_timers())
        return {"b": "ok"}

    for e in (engine, other):
        e.applications.register("app", app, asynchronous=True)
    engine.deploy(_package().build())
    ids = [engine.start_process("main", {"x": n}) for n in range(2)]
    try:
        assert engine.run_due_jobs(owner="H") == 2
        assert other.run_due_jobs(owner="T") == 0
    finally:  # (the store closes with the last engine on it)
        other.close()
    assert fired == [0]
    assert calls == {0: 1, 1: 1}
    trail = [e.kind for e in engine.audit(ids[1]) if e.kind.startswith("application.")]
    assert trail == ["application.queued", "application.invoked", "application.returned"]
    assert [engine.instance(i).state.value for i in ids] == ["closed.completed"] * 2


def test_the_running_job_is_judged_by_every_stored_job_of_its_claim(
    engine: Engine, clock: VirtualClock
) -> None:
    # the dead host was running A; A's instance is suspended after: B still never started
    ids = _started(engine, 2)
    now = clock.now()
    engine.store.claim_jobs("dead", now, now + timedelta(seconds=1), 10)
    engine.suspend(ids[0])
    clock.advance(timedelta(seconds=5))
    now = clock.now()
    [b] = engine.store.claim_jobs("fresh", now, now + timedelta(seconds=30), 10)
    assert (b.instance_id, b.attempts) == (ids[1], 1)
    engine.resume(ids[0])
    clock.advance(timedelta(seconds=60))
    now = clock.now()
    taken = engine.store.claim_jobs("next", now, now + timedelta(seconds=30), 10)
    assert [(j.instance_id, j.attempts) for j in taken] == [(ids[0], 2), (ids[1], 2)]


def test_the_running_job_waits_for_no_claim_mate_that_cannot_be_claimed(
    engine: Engine, clock: VirtualClock
) -> None:
    ids = _started(engine, 2)
    now = clock.now()
    engine.store.claim_jobs("dead", now, now + timedelta(seconds=1), 10)
    engine.suspend(ids[1])  # B's instance: B cannot be claimed
    clock.advance(timedelta(seconds=5))
    while engine.run_due_jobs(limit=1):
        pass
    assert made_attempts(engine, ids[0]) == [2]  # taken over, its claim counted
    # a timer-only claim takes none of them: A is not held back for B, nor B for A
    engine.resume(ids[1])
    assert engine.fire_due_timers() == 0
    assert [j.lock_owner for j in engine.jobs(ids[1])] == ["dead"]


def test_a_live_claimant_keeps_its_claim_when_its_lease_ran_out(
    engine: Engine, clock: VirtualClock
) -> None:
    # an application moves the virtual clock past the lease of the jobs claimed with its job;
    # the timers that fire then are claimed in between, by the same engine: not a dead claim
    engine.applications.register("app", lambda a: clock.advance(timedelta(minutes=5)))
    engine.deploy(_package().build())
    ids = []
    for n in range(3):
        iid = engine.create_instance("main", {"x": n})
        engine.start(iid, defer=True)
        ids.append(iid)
    assert engine.run_due_jobs() == 3
    assert engine.jobs() == []
    assert [made_attempts(engine, iid) for iid in ids] == [[1], [1], [1]]
