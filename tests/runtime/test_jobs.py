"""Jobs: deferred starts, the in-process executor, leases, takeover and exactly-once effects."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.states import ProcessState


def _automatic() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.route("split", gateway="Parallel").route("join", gateway="Parallel")
    for name in ("a", "b"):
        p.activity(name).transition("split", name).transition(name, "join")
    p.activity("end").transition("join", "end")
    return pb


def _started_once(engine: Engine, iid: str) -> Counter[str]:
    return Counter(e.activity_id for e in engine.audit(iid) if e.kind == "activity.started")


def test_a_deferred_start_leaves_the_work_to_a_job(engine: Engine) -> None:
    engine.deploy(_automatic().build())
    iid = engine.start_process("main", defer=True)
    assert engine.instance(iid).state is ProcessState.RUNNING
    assert engine.trace(iid) == []
    [job] = engine.jobs(iid)
    assert job.kind == "continue" and job.lock_owner is None
    assert engine.has_work()
    assert engine.next_due_at() == job.due
    assert engine.run_due_jobs() == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.trace(iid) == ["split", "a", "b", "join", "end"]
    assert engine.jobs() == [] and not engine.has_work() and engine.next_due_at() is None
    assert engine.run_due_jobs() == 0


def test_deferred_work_waits_while_the_instance_is_suspended(engine: Engine) -> None:
    engine.deploy(_automatic().build())
    iid = engine.start_process("main", defer=True)
    engine.suspend(iid)
    assert not engine.has_work() and engine.next_due_at() is None
    assert engine.run_due_jobs() == 0
    engine.resume(iid)
    assert engine.run_due_jobs() == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_terminating_drops_the_jobs_of_an_instance(engine: Engine) -> None:
    engine.deploy(_automatic().build())
    iid = engine.start_process("main", defer=True)
    engine.terminate(iid)
    assert engine.jobs() == [] and engine.run_due_jobs() == 0
    assert engine.trace(iid) == []


def test_run_due_jobs_takes_at_most_limit(engine: Engine) -> None:
    engine.deploy(_automatic().build())
    ids = [engine.start_process("main", defer=True) for _ in range(5)]
    assert engine.run_due_jobs(limit=2) == 2
    assert engine.run_due_jobs(limit=10) == 3
    assert {engine.instance(i).state for i in ids} == {ProcessState.COMPLETED}


def test_timers_are_jobs_that_wait_for_their_time(engine: Engine, clock: VirtualClock) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("work", performer="clerk", deadlines=[("PT10M", "Late", "SYNCHR")])
    p.activity("late").transition("work", "late", exception="Late")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    [job] = engine.jobs(iid)
    assert job.kind == "timer" and job.due == clock.now() + timedelta(minutes=10)
    assert not engine.has_work() and engine.next_due_at() == job.due
    clock.advance(timedelta(minutes=10))
    assert engine.trace(iid) == ["late"] and engine.jobs() == []


def test_leases_expire_and_are_taken_over(engine: Engine, clock: VirtualClock) -> None:
    engine.deploy(_automatic().build())
    iid = engine.start_process("main", defer=True)
    store, now = engine.store, clock.now()
    [mine] = store.claim_jobs("A", now, now + timedelta(minutes=1), 10)
    assert (mine.lock_owner, mine.attempts) == ("A", 1)
    assert store.claim_jobs("B", now, now + timedelta(minutes=1), 10) == []
    assert not engine.has_work()
    assert engine.next_due_at() == now + timedelta(minutes=1)  # when the lease runs out
    assert engine.renew_leases([mine.id], owner="A", lease=timedelta(minutes=5)) == [mine.id]
    clock.advance(timedelta(minutes=2))
    assert store.claim_jobs("B", clock.now(), clock.now() + timedelta(minutes=1), 10) == []
    clock.advance(timedelta(minutes=4))  # A went quiet: its renewed lease ran out
    assert engine.has_work()
    assert engine.run_due_jobs(owner="B") == 1
    assert engine.renew_leases([mine.id], owner="A") == []  # lost, and done by B
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert _started_once(engine, iid) == Counter({"split": 1, "a": 1, "b": 1, "join": 1, "end": 1})


def test_a_job_whose_lease_was_taken_over_does_nothing(engine: Engine, clock: VirtualClock) -> None:
    engine.deploy(_automatic().build())
    iid = engine.start_process("main", defer=True)
    now = clock.now()
    [stale] = engine.store.claim_jobs("A", now, now + timedelta(seconds=1), 10)
    clock.advance(timedelta(seconds=5))
    [taken] = engine.store.claim_jobs("B", clock.now(), clock.now() + timedelta(minutes=1), 10)
    assert (taken.id, taken.lock_owner, taken.attempts) == (stale.id, "B", 2)
    assert engine._run_job(stale, "A") is False  # A wakes up late: not its job any more
    assert engine.trace(iid) == []
    assert engine._run_job(taken, "B") is True
    assert engine._run_job(taken, "B") is False  # and never twice
    assert _started_once(engine, iid)["end"] == 1


def test_two_engines_racing_for_one_job_run_it_once(tmp_path: Path, clock: VirtualClock) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url, clock=clock) as one, Engine(db_url=url, clock=clock) as two:
        one.deploy(_automatic().build())
        iid = one.start_process("main", defer=True)
        now = clock.now()
        [job] = one.store.claim_jobs("A", now, now + timedelta(seconds=1), 10)
        store = one.store
        assert isinstance(store, SqlStore)
        real_commit = store.commit
        events: list[str] = []

        def overtaken(step: Any) -> None:
            if not events:  # A has done the work but is slow to commit; its lease runs out
                clock.advance(timedelta(seconds=5))
                later = clock.now()
                [same] = two.store.claim_jobs("B", later, later + timedelta(minutes=1), 10)
                events.append(f"B claims on attempt {same.attempts}")
                assert two._run_job(same, "B") is True
            events.append("A commits")
            real_commit(step)

        store.commit = overtaken  # type: ignore[method-assign]
        assert one._run_job(job, "A") is False  # A's step conflicted; on retry the job was gone
        assert events == ["B claims on attempt 2", "A commits"]
        assert two.instance(iid).state is ProcessState.COMPLETED
        assert _started_once(two, iid) == Counter({"split": 1, "a": 1, "b": 1, "join": 1, "end": 1})
        assert two.jobs() == []


def test_due_but_leased_work_still_counts_as_work(engine: Engine, clock: VirtualClock) -> None:
    engine.deploy(_automatic().build())
    engine.start_process("main", defer=True)
    now = clock.now()
    engine.store.claim_jobs("A", now, now + timedelta(minutes=1), 10)
    assert not engine.has_work()  # nothing to claim...
    assert engine.has_work(leased=True)  # ...but work is due: A holds it (or died holding it)


def test_a_worker_told_to_stop_gives_the_rest_of_its_batch_back(engine: Engine) -> None:
    engine.deploy(_automatic().build())
    ids = [engine.start_process("main", defer=True) for _ in range(3)]
    seen: list[list[str]] = []

    def stop_after_first() -> bool:
        seen.append(engine.held_jobs())
        return len(seen) > 1

    assert engine.run_due_jobs(owner="W", should_stop=stop_after_first) == 1
    assert len(seen[0]) == 3 and len(seen[1]) == 2  # claimed together, finished one by one
    assert engine.held_jobs() == []
    states = [engine.instance(i).state for i in ids]
    assert states.count(ProcessState.COMPLETED) == 1
    assert all(j.lock_owner is None for j in engine.jobs())  # given back, not left leased
    assert engine.run_due_jobs(owner="X") == 2


def _tool_then_join() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("v", "INTEGER", initial="1")
    p.application("app", params=[("v", "INOUT", "INTEGER")])
    p.route("split", gateway="Parallel").route("join", gateway="Parallel")
    p.activity("call", tool="app", args=["v"]).activity("quick")
    p.transition("split", "call").transition("split", "quick")
    p.transition("call", "join").transition("quick", "join")
    p.activity("again", tool="app", args=["v"]).transition("join", "again")
    return pb


def test_a_deferring_engine_never_runs_automatic_work_itself(engine: Engine) -> None:
    """An operator's engine retries an incident; the worker makes the call, not the operator."""
    calls: list[str] = []
    engine.applications.register("app", lambda v: calls.append("w") or {"v": v + 1})
    engine.deploy(_tool_then_join().build())
    operator = Engine(store=engine.store, clock=engine.clock, defer_automatic=True)
    operator.applications.register("app", lambda v: calls.append("operator") or {"v": 0})
    iid = operator.start_process("main")
    assert engine.trace(iid) == [] and engine.run_due_jobs() == 1
    assert calls == ["w", "w"] and engine.instance(iid).state is ProcessState.COMPLETED

    engine.applications.register("app", lambda v: 1 / 0)
    iid = operator.start_process("main")
    engine.run_due_jobs()
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "call"
    assert engine.tokens(iid)  # 'quick' is done, its token waits at the join: no deadlock
    engine.applications.register("app", lambda v: calls.append("w") or {"v": v + 1})
    operator.retry_incident(incident.id)
    assert engine.incidents(iid) == []  # resolved by the request; the call is a job now
    assert [j.kind for j in engine.jobs(iid)] == ["continue"]
    assert engine.run_due_jobs() == 1
    assert calls == ["w", "w", "w", "w"]
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.instance(iid).data["v"] == 3


def test_a_deferring_engine_leaves_what_follows_a_skip_to_workers(engine: Engine) -> None:
    engine.applications.register("app", lambda v: 1 / 0)
    engine.deploy(_tool_then_join().build())
    iid = engine.start_process("main")
    [incident] = engine.incidents(iid)
    operator = Engine(store=engine.store, clock=engine.clock, defer_automatic=True)
    operator.skip_incident(incident.id, {"v": 41})
    assert engine.trace(iid) == ["split", "quick", "call"]  # the join and what follows wait
    engine.applications.register("app", lambda v: {"v": v + 1})
    assert engine.run_due_jobs() == 1
    assert engine.instance(iid).data["v"] == 42
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_resume_fires_the_resumed_instances_timers_only(
    engine: Engine, clock: VirtualClock
) -> None:
    """Resuming one case fires its timers that fell due while it was paused, and leaves the
    other cases' due timers to the workers (it used to fire every due timer of the database,
    with the resuming engine's bindings, inside a user's request)."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").intermediate("wait", timer="PT1H").activity("after", performer="clerk")
    p.sequence("s", "wait", "after")
    engine.deploy(pb.build())
    paused, other = engine.start_process("main"), engine.start_process("main")
    engine.suspend(paused)
    # a second engine on the same store, two hours on: both timers are due on its clock
    later = Engine(store=engine.store, clock=VirtualClock(clock.now() + timedelta(hours=2)))
    later.resume(paused)
    assert later.trace(paused) == ["s", "wait"]
    assert [w.activity_id for w in later.work_items(paused)] == ["after"]
    assert later.trace(other) == ["s"]  # the workers' to fire
    assert later.run_due_jobs() == 1 and later.trace(other) == ["s", "wait"]
