"""A host that died holding a batch of claimed jobs (a worker claims up to ten at once) was
running one of them: only that one's claim is an attempt of the call it was making. The others
were never started, and taken over they keep their whole retry budget; a job that kills every
host running it is still counted each time, and ends as an incident."""

from __future__ import annotations

from datetime import timedelta

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


def _attempts(engine: Engine, iid: str) -> list[int]:
    return [e.detail["attempt"] for e in engine.audit(iid) if e.kind == "application.invoked"]


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
    assert _attempts(engine, ids[0]) == [2]
    assert len(engine.incidents(ids[0])) == 1
    # the others' claim ran nothing: a transient failure is retried, as on a first run
    for iid in ids[1:]:
        assert _attempts(engine, iid) == [1, 2], iid
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
    assert _attempts(engine, ids[1]) == [2]
    assert len(engine.incidents(ids[1])) == 1
    assert _attempts(engine, ids[2]) == [1, 2]
    assert engine.incidents(ids[2]) == []


def test_a_job_killing_every_host_is_counted_each_time(engine: Engine, clock: VirtualClock) -> None:
    ids = _started(engine, 3)
    # the first job kills its host: each time with the jobs claimed after it in its batch
    for host in ("one", "two"):
        now = clock.now()
        claimed = engine.store.claim_jobs(host, now, now + timedelta(seconds=1), 10)
        assert claimed[0].instance_id == ids[0]
        clock.advance(timedelta(seconds=5))
    [job] = [j for j in engine.jobs(ids[0])]
    assert job.attempts == 2  # (the claim of the next host counts on from there)
    while engine.run_due_jobs(limit=1):
        pass
    # two calls were made and lost: the third is past the budget of two, made once more and
    # its failure final
    assert _attempts(engine, ids[0]) == [3]
    (incident,) = engine.incidents(ids[0])
    assert incident.attempts == 3 and "3 attempts made, 2 allowed" in incident.message
    for iid in ids[1:]:
        assert _attempts(engine, iid) == [1, 2], iid


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
    assert [_attempts(engine, iid) for iid in ids] == [[1], [1], [1]]
