"""A suspended instance resumed takes what came while it was paused in the order it came:
a timer that fell due before a kept message arrived fires first.

An event-based gateway (a one-hour timer against message ``go``), suspended, the clock moved
two hours (the timer fell due at one), ``go`` sent (kept while paused), resumed: the message
way won, though the timer fell due first ("the first to fire withdraws the others")."""

from __future__ import annotations

from datetime import timedelta

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine


def _race() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").route("g", gateway="EventBased")
    p.intermediate("t", timer="PT1H").activity("late", performer="clerk").end("e1")
    p.intermediate("m", message="go").activity("ok", performer="clerk").end("e2")
    p.sequence("s", "g").sequence("g", "t", "late", "e1").sequence("g", "m", "ok", "e2")
    return pb


def test_a_timer_due_before_a_kept_message_arrived_wins_the_gateway_at_resume(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = run(engine, _race())
    engine.suspend(iid)
    clock.advance(timedelta(hours=2))  # the timer falls due at 1 h, and waits
    engine.send_message("go", {}, instance_id=iid)  # kept while paused
    engine.resume(iid)
    assert [w.activity_id for w in engine.work_items(iid)] == ["late"]
    kinds = [e.kind for e in engine.audit(iid)]
    assert "timer.fired" in kinds and "message.received" not in kinds


def test_a_message_kept_before_the_timer_fell_due_wins_the_gateway_at_resume(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = run(engine, _race())
    engine.suspend(iid)
    clock.advance(timedelta(minutes=30))
    engine.send_message("go", {}, instance_id=iid)
    clock.advance(timedelta(hours=2))
    engine.resume(iid)
    assert [w.activity_id for w in engine.work_items(iid)] == ["ok"]
    assert engine.timers(iid) == []
