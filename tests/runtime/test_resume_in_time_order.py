"""A resume takes what came while it was paused in time order, for the synchronous subflows
the caller's suspension took along too (they are its work).

The race of ``test_gateway_after_suspension`` (a one-hour timer against message ``go`` at an
event-based gateway), run as a synchronous subflow: the caller suspended (the subflow taken
along), two hours on, ``go`` sent to the subflow, the caller resumed. The subflow's timer fell
due first and wins, as it does when the race is the instance resumed; before, the subflow's
kept message was given ahead of every timer.
"""

from __future__ import annotations

from datetime import timedelta

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _race_as_subflow() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("race")
    p.start("s").route("g", gateway="EventBased")
    p.intermediate("t", timer="PT1H").activity("late", performer="clerk").end("e1")
    p.intermediate("m", message="go").activity("ok", performer="clerk").end("e2")
    p.sequence("s", "g").sequence("g", "t", "late", "e1").sequence("g", "m", "ok", "e2")
    pb.process("main").subflow("call", process="race")
    return pb


def _child(engine: Engine, iid: str) -> str:
    [child] = [i for i in engine.instances(process_id="race") if i.parent_instance_id == iid]
    return child.id


def test_a_subflow_timer_due_before_its_kept_message_wins_when_the_caller_resumes(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.deploy(_race_as_subflow().build())
    iid = engine.start_process("main")
    child = _child(engine, iid)
    engine.suspend(iid)  # the subflow is taken along
    clock.advance(timedelta(hours=2))  # its timer falls due at 1 h, and waits
    engine.send_message("go", {}, instance_id=child)  # kept while paused
    engine.resume(iid)
    assert engine.instance(child).state is ProcessState.RUNNING
    assert [w.activity_id for w in engine.work_items(child)] == ["late"]
    kinds = [e.kind for e in engine.audit(child)]
    assert "timer.fired" in kinds and "message.received" not in kinds


def test_a_subflow_message_kept_before_its_timer_fell_due_wins_when_the_caller_resumes(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.deploy(_race_as_subflow().build())
    iid = engine.start_process("main")
    child = _child(engine, iid)
    engine.suspend(iid)
    clock.advance(timedelta(minutes=30))
    engine.send_message("go", {}, instance_id=child)
    clock.advance(timedelta(hours=2))
    engine.resume(iid)
    assert [w.activity_id for w in engine.work_items(child)] == ["ok"]
    assert engine.timers(child) == []


def _deadline_on_call() -> PackageBuilder:
    """A synchronous subflow activity with a ten-minute synchronous deadline (``Late``)."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.subflow("call", process="child", deadlines=[("PT10M", "Late", "SYNCHR")])
    p.activity("late", performer="boss").activity("after", performer="clerk")
    p.transition("call", "after").transition("call", "late", exception="Late")
    pb.process("child").activity("work", performer="clerk")
    return pb


def _close_child_at(engine: Engine, clock: VirtualClock, minutes: int) -> str:
    """Start ``main``, suspend it (the child taken along), resume the child on its own and
    complete its work ``minutes`` later, the caller still suspended; the caller's id."""
    engine.deploy(_deadline_on_call().build())
    iid = engine.start_process("main")
    [child] = engine.instances(process_id="child")
    engine.suspend(iid)
    engine.resume(child.id)  # an operator lets the child go on alone
    clock.advance(timedelta(minutes=minutes))
    [item] = engine.work_items(child.id)
    engine.complete_work_item(item.id)
    assert engine.instance(child.id).state is ProcessState.COMPLETED
    return iid


def _open(engine: Engine, iid: str) -> list[tuple[str, str]]:
    return [(a.activity_id, a.state.value) for a in engine.activity_instances(iid)]


def test_a_deadline_due_before_the_subflow_closed_wins_when_the_caller_resumes(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = _close_child_at(engine, clock, 11)  # the deadline fell due at 10 minutes
    engine.resume(iid)
    assert _open(engine, iid) == [
        ("call", "closed.terminated"),
        ("late", "open.not_running.not_started"),
    ]
    assert engine.timers(iid) == []
    assert "deadline.fired" in [e.kind for e in engine.audit(iid)]


def test_a_subflow_closed_before_the_deadline_fell_due_wins_when_the_caller_resumes(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = _close_child_at(engine, clock, 9)
    clock.advance(timedelta(minutes=5))  # the deadline falls due while the caller is paused
    engine.resume(iid)
    assert _open(engine, iid) == [
        ("call", "closed.completed"),
        ("after", "open.not_running.not_started"),
    ]
    assert engine.timers(iid) == []
    assert "deadline.fired" not in [e.kind for e in engine.audit(iid)]
