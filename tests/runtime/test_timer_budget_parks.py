"""A timer that comes due once its instance has fired ``RuntimeLimits.max_timer_firings``
timers is held back, not lost: it is parked with an incident of its own (operation ``job``),
whose retry, once the host raised the limit, fires it.

Before, only the first timer past the budget opened an incident (tied to its activity, so
closing that activity resolved it) and every later one did nothing: an intermediate timer
or a synchronous deadline reached after that left the instance running for ever with no
timer, job, work item or incident.
"""

from __future__ import annotations

from datetime import timedelta

from tests.runtime.conftest import complete_all, run
from wfengine.definition.builder import PackageBuilder, deadline
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.limits import RuntimeLimits
from wfengine.runtime.states import ProcessState


def _heartbeat_then_pause() -> PackageBuilder:
    """``work`` (a person's) with a repeating R/PT1H boundary heartbeat, then a PT1H pause."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="0")
    p.start("s").activity("work", performer="clerk")
    p.intermediate("pause", timer="PT1H").activity("after", script="x = x + 1000").end("e")
    p.intermediate("beat", attached_to="work", timer="R/PT1H", interrupting=False)
    p.activity("ping", script="x = x + 1").end("e2")
    p.sequence("s", "work", "pause", "after", "e").sequence("beat", "ping", "e2")
    return pb


def _fired(engine: Engine, instance_id: str, activity_id: str) -> int:
    return sum(
        1
        for e in engine.audit(instance_id)
        if e.kind == "timer.fired" and e.activity_id == activity_id
    )


def test_a_timer_past_the_budget_waits_on_an_incident_whose_retry_fires_it(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.limits = RuntimeLimits(max_timer_firings=3)
    iid = run(engine, _heartbeat_then_pause())
    clock.advance(timedelta(hours=4, minutes=30))  # the 4th heartbeat is past the budget
    (beat,) = engine.incidents(iid)
    assert beat.activity_id == "work" and beat.operation == "job"
    assert "max_timer_firings" in beat.message and "retry" in beat.message
    complete_all(engine, iid, "work")  # closing work withdraws its heartbeat, incident too
    assert engine.incidents(iid) == []
    clock.advance(timedelta(hours=2))  # the pause is due, past the budget too
    (held,) = engine.incidents(iid)
    assert held.activity_id == "pause" and held.operation == "job"
    assert engine.instance(iid).state is ProcessState.RUNNING
    (timer,) = engine.timers(iid)  # kept, not lost: the incident names it
    assert f"timer job {timer.id!r} is held back" in held.message
    engine.limits = RuntimeLimits(max_timer_firings=10)
    engine.retry_incident(held.id)
    engine.run_due_jobs()
    inst = engine.instance(iid)
    assert inst.state is ProcessState.COMPLETED
    assert inst.data["x"] == 1003  # three heartbeats, then the pause went on: once each
    assert _fired(engine, iid, "pause") == 1
    assert engine.incidents(iid) == [] and engine.timers(iid) == []


def _two_pauses() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").intermediate("pause", timer="PT1H").intermediate("pause2", timer="PT1H")
    p.end("e").sequence("s", "pause", "pause2", "e")
    return pb


def test_a_retry_within_the_same_budget_fires_that_timer_once(
    engine: Engine, clock: VirtualClock
) -> None:
    """The operator's retry is the decision: the timer it names fires past the budget; the
    next timer past it is held back again (raising the limit lets them all go)."""
    engine.limits = RuntimeLimits(max_timer_firings=0)
    iid = run(engine, _two_pauses())
    clock.advance(timedelta(hours=2))
    (first,) = engine.incidents(iid)
    assert "retry the incident to fire it once past the limit" in first.message
    engine.retry_incident(first.id)
    engine.run_due_jobs()
    assert _fired(engine, iid, "pause") == 1
    clock.advance(timedelta(hours=2))
    (again,) = engine.incidents(iid)  # the next one, held back in its turn
    assert again.id != first.id and again.activity_id == "pause2"
    assert "fired 1 timers and RuntimeLimits.max_timer_firings allows 0" in again.message
    assert _fired(engine, iid, "pause2") == 0 and len(engine.timers(iid)) == 1
    engine.terminate(iid)
    assert engine.instance(iid).state is ProcessState.TERMINATED
    assert engine.timers(iid) == [] and engine.jobs(iid) == [] and engine.incidents(iid) == []


def test_a_retry_fires_the_timer_on_a_worker_of_its_own_limits(db_url: str) -> None:
    """``wfengine incident retry`` and a worker: the job is run by another engine with
    its own (here, as low) limits, and fires all the same."""
    clock = VirtualClock()
    low = RuntimeLimits(max_timer_firings=0)
    with Engine(db_url=db_url, clock=clock, limits=low) as e1:
        iid = run(e1, _two_pauses())
        clock.advance(timedelta(hours=2))
        (held,) = e1.incidents(iid)
    with Engine(db_url=db_url, clock=clock, limits=low) as operator:
        operator.retry_incident(held.id, user="ops")
    with Engine(db_url=db_url, clock=VirtualClock(clock.now()), limits=low) as worker:
        worker.run_due_jobs()
        assert _fired(worker, iid, "pause") == 1
        (retried,) = [e for e in worker.audit(iid) if e.kind == "incident.retried"]
        assert retried.detail == {"incident": held.id, "user": "ops"}
        assert [i.activity_id for i in worker.incidents(iid)] == []


def test_a_held_synchronous_deadline_goes_with_its_activity(
    engine: Engine, clock: VirtualClock
) -> None:
    """A deadline held back while its activity is still open: completing the activity
    withdraws it (its incident resolved), and it never fires afterwards."""
    engine.limits = RuntimeLimits(max_timer_firings=0)
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="0")
    late = deadline("PT1H", "Late", execution="SYNCHR")
    p.start("s").activity("work", performer="clerk", deadlines=[late]).end("e")
    p.activity("late", script="x = 1").end("e2")
    p.transition("s", "work").transition("work", "e")
    p.transition("work", "late", exception="Late").transition("late", "e2")
    iid = run(engine, pb)
    clock.advance(timedelta(hours=2))
    (held,) = engine.incidents(iid)
    assert held.activity_id == "work" and held.operation == "job"
    complete_all(engine, iid, "work")
    engine.limits = RuntimeLimits()
    clock.advance(timedelta(days=1))
    inst = engine.instance(iid)
    assert inst.state is ProcessState.COMPLETED and inst.data["x"] == 0
    assert engine.incidents(iid) == [] and engine.jobs(iid) == []


def test_a_held_timer_survives_a_restart_with_a_raised_limit(db_url: str) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="0")
    p.start("s").intermediate("pause", timer="PT1H").activity("after", script="x = 1").end("e")
    p.sequence("s", "pause", "after", "e")
    clock = VirtualClock()
    with Engine(db_url=db_url, clock=clock, limits=RuntimeLimits(max_timer_firings=0)) as e1:
        iid = run(e1, pb)
        clock.advance(timedelta(hours=2))
        (held,) = e1.incidents(iid)
    with Engine(db_url=db_url, clock=clock) as e2:  # the default limits
        e2.retry_incident(held.id)
        e2.run_due_jobs()
        inst = e2.instance(iid)
        assert inst.state is ProcessState.COMPLETED and inst.data["x"] == 1
        assert _fired(e2, iid, "pause") == 1 and e2.incidents(iid) == []


def pause_or_reply() -> PackageBuilder:
    """A Parallel split into a PT1H timer and a message ``reply``, joined, then a script
    counting ``x``: the timer is the one a resume may find due."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="0")
    p.start("s").route("split", gateway="Parallel").route("join", gateway="Parallel")
    p.intermediate("pause", timer="PT1H").intermediate("reply", message="reply")
    p.activity("after", script="x = x + 1").end("e")
    p.sequence("s", "split", "pause", "join", "after", "e").sequence("split", "reply", "join")
    return pb


def test_a_timer_a_resume_holds_back_is_parked_by_its_own_job(
    engine: Engine, clock: VirtualClock
) -> None:
    """A resume fires the timers that fell due while the instance was paused before the
    messages kept meanwhile; one past the budget stays due there, and its own job parks it."""
    engine.limits = RuntimeLimits(max_timer_firings=0)
    iid = run(engine, pause_or_reply())
    engine.suspend(iid)
    clock.advance(timedelta(hours=2))
    engine.send_message("reply", {}, instance_id=iid)  # kept for the resume
    engine.resume(iid)
    engine.run_due_jobs()
    (held,) = engine.incidents(iid)
    assert held.activity_id == "pause" and held.operation == "job"
    engine.limits = RuntimeLimits()
    engine.retry_incident(held.id)
    engine.run_due_jobs()
    inst = engine.instance(iid)
    assert inst.state is ProcessState.COMPLETED and inst.data["x"] == 1
    assert _fired(engine, iid, "pause") == 1
