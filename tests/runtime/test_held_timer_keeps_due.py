"""A timer held back past the instance's timer budget keeps when it was due: ``timers()``
and the worklist show that time (not the parked job's 9999-12-31), and once its incident's
retry fires it, ``deadline.fired`` records it and a repeating cycle goes on in its rhythm
(as after a suspension), not from the retry's moment."""

from __future__ import annotations

from datetime import timedelta

from tests.runtime.conftest import run
from tests.runtime.test_timer_budget_parks import pause_or_reply
from wfengine.definition.builder import PackageBuilder, deadline
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.limits import RuntimeLimits
from wfengine.worklist.worklists import worklist


def test_a_held_deadline_keeps_its_due_time(engine: Engine, clock: VirtualClock) -> None:
    engine.limits = RuntimeLimits(max_timer_firings=0)
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.start("s").activity(
        "work", performer="clerk", deadlines=[deadline("PT1H", "Late", execution="ASYNCHR")]
    )
    p.activity("l", script="").end("e2").end("e")
    p.transition("s", "work").transition("work", "e")
    p.transition("work", "l", exception="Late").transition("l", "e2")
    iid = run(engine, pb)
    due = clock.now() + timedelta(hours=1)
    clock.advance(timedelta(hours=2))
    (held,) = engine.incidents(iid)
    assert [t.due for t in engine.timers(iid)] == [due]
    assert [e.due for e in worklist(engine, "clerk")] == [due]
    clock.advance(timedelta(hours=5))
    engine.limits = RuntimeLimits()
    engine.retry_incident(held.id)
    engine.run_due_jobs()
    [fired] = [a.detail for a in engine.audit(iid) if a.kind == "deadline.fired"]
    assert fired["due"] == due.isoformat()  # (was the retry's moment)
    assert [e.due for e in worklist(engine, "clerk")] == [due]  # late since then


def _beat() -> PackageBuilder:
    """``work`` (a person's) with a non-interrupting R5/PT1H boundary heartbeat."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="0")
    p.start("s").activity("work", performer="clerk").end("e")
    p.intermediate("beat", attached_to="work", timer="R/PT1H", interrupting=False)
    p.activity("ping", script="x = x + 1").end("e2")
    p.sequence("s", "work", "e").sequence("beat", "ping", "e2")
    return pb


def test_a_retried_cycle_goes_on_in_its_rhythm(engine: Engine, clock: VirtualClock) -> None:
    engine.limits = RuntimeLimits(max_timer_firings=3)
    iid = run(engine, _beat())
    start = clock.now()
    clock.advance(timedelta(hours=4, minutes=30))  # the 4th beat, due at 4:00, held back
    (held,) = engine.incidents(iid)
    assert [t.due for t in engine.timers(iid)] == [start + timedelta(hours=4)]
    clock.advance(timedelta(hours=6))
    engine.limits = RuntimeLimits()
    engine.retry_incident(held.id)
    engine.run_due_jobs()
    assert engine.instance(iid).data["x"] == 4
    # the missed beats are that one firing; the next is on the hour, as it was
    assert [t.due for t in engine.timers(iid)] == [start + timedelta(hours=11)]


def test_a_resume_leaves_a_held_timer_to_its_incident(engine: Engine, clock: VirtualClock) -> None:
    """A resume fires the timers due before a message kept meanwhile; a held-back one, due
    then at its own time, waits for its incident even with the budget raised."""
    engine.limits = RuntimeLimits(max_timer_firings=0)
    iid = run(engine, pause_or_reply())
    clock.advance(timedelta(hours=2))
    (held,) = engine.incidents(iid)
    engine.suspend(iid)
    clock.advance(timedelta(hours=1))
    engine.send_message("reply", {}, instance_id=iid)  # kept for the resume
    engine.limits = RuntimeLimits()
    engine.resume(iid)
    engine.run_due_jobs()
    assert [i.id for i in engine.incidents(iid)] == [held.id]
    assert engine.instance(iid).data["x"] == 0 and len(engine.timers(iid)) == 1
    engine.retry_incident(held.id)
    engine.run_due_jobs()
    assert engine.instance(iid).data["x"] == 1 and engine.incidents(iid) == []


def test_a_retried_reminder_goes_on_in_its_rhythm(engine: Engine, clock: VirtualClock) -> None:
    """A reminder held back past the budget and fired by a retry at 05:30 sets the next one in
    its own rhythm from when it was due (06:00), as a late one does, not an hour after the
    retry (06:30)."""
    engine.limits = RuntimeLimits(max_timer_firings=0)
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    every = {"wfengine:reminder-after": "PT1H", "wfengine:reminder-every": "PT1H"}
    p.start("s").activity("work", performer="clerk", extended=every).end("e")
    p.sequence("s", "work", "e")
    start = clock.now()
    iid = run(engine, pb)
    clock.advance(timedelta(hours=1, minutes=10))
    (held,) = engine.incidents(iid)
    clock.advance(timedelta(hours=4, minutes=20))  # 05:30
    engine.retry_incident(held.id)
    engine.run_due_jobs()
    assert [j.due for j in engine.jobs(iid)] == [start + timedelta(hours=6)]
