"""Events attached to activities (issue 11, item 2): timers, messages, signals, conditions,
errors and escalations; interrupting (the activity is cancelled as aborted, its work withdrawn)
and not (the activity goes on; a ``TimeCycle`` repeats until it completes, never after)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.runtime.conftest import run
from wfengine import Engine, PackageBuilder, ProcessState, VirtualClock
from wfengine.errors import DeployError


def _audit(engine: Engine, iid: str, kind: str) -> list[tuple[str | None, object]]:
    return [(e.activity_id, e.detail) for e in engine.audit(iid) if e.kind == kind]


def _task_with(**event: object) -> PackageBuilder:
    """A person's task 'work' with one event attached, 'work' -> 'done' and the event ->
    'handle'."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("note", "STRING")
    p.activity("work", performer="clerk").activity("done").activity("handle")
    p.intermediate("ev", attached_to="work", **event)  # type: ignore[arg-type]
    p.transition("work", "done").transition("ev", "handle")
    return pb


def test_an_interrupting_timer_cancels_the_activity_and_takes_its_own_way(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = run(engine, _task_with(timer="PT2H"))
    [item] = engine.work_items(iid)
    clock.advance(timedelta(hours=1, minutes=59))
    assert engine.trace(iid) == []
    clock.advance(timedelta(minutes=1))
    assert engine.trace(iid) == ["ev", "handle"]  # the cancelled task is not in the trace
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.work_item(item.id).state.value == "cancelled"
    [work] = [a for a in engine.activity_instances(iid) if a.activity_id == "work"]
    assert work.state.value == "closed.aborted"
    assert _audit(engine, iid, "event.boundary") == [
        ("ev", {"trigger": "Timer", "name": None, "interrupting": True})
    ]


def test_completing_first_disarms_the_timer(engine: Engine, clock: VirtualClock) -> None:
    iid = run(engine, _task_with(timer="PT2H"))
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    assert engine.timers(iid) == []
    clock.advance(timedelta(hours=3))
    assert engine.trace(iid) == ["work", "done"]


def test_a_non_interrupting_cycle_fires_every_cycle_until_completion_and_never_after(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = run(engine, _task_with(timer="R/PT1H", interrupting=False))
    for hour in range(1, 4):
        clock.advance(timedelta(hours=1))
        assert engine.trace(iid).count("handle") == hour
        assert len(engine.work_items(iid)) == 1  # the task goes on
    clock.advance(timedelta(minutes=30))
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    assert engine.timers(iid) == []
    clock.advance(timedelta(hours=5))
    assert engine.trace(iid).count("handle") == 3
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_counted_cycle_fires_that_many_times(engine: Engine, clock: VirtualClock) -> None:
    iid = run(engine, _task_with(timer="R2/PT10M", interrupting=False))
    clock.advance(timedelta(hours=2))
    assert engine.trace(iid).count("handle") == 2
    assert engine.instance(iid).state is ProcessState.RUNNING  # the task still waits
    assert engine.timers(iid) == []


@pytest.mark.parametrize("cycle", ["r2/PT10M", "r2/pt10m"])
def test_a_lowercase_r_counts_the_cycles_as_an_uppercase_one_does(
    engine: Engine, clock: VirtualClock, cycle: str
) -> None:
    # (it was refused at deploy as "a deadline fires once", on a timer meant to repeat)
    iid = run(engine, _task_with(timer=cycle, interrupting=False))
    clock.advance(timedelta(hours=2))
    assert engine.trace(iid).count("handle") == 2


@pytest.mark.parametrize("cycle", ["R-1/PT1H", "R+2/PT1H"])
def test_a_signed_count_of_cycles_is_refused_naming_it(cycle: str) -> None:
    # (it deployed, and every instance then had an incident: unknown variable 'R')
    from wfengine.definition.validation import validate

    errors = [d for d in validate(_task_with(timer=cycle).build()) if d.severity.value == "error"]
    assert len(errors) == 1
    assert f"its count of recurrences is signed ({cycle[:4]})" in errors[0].message


def test_a_repeating_cycle_needs_an_interval() -> None:
    from wfengine.runtime.compiler import compile_process

    pb = _task_with(timer="R/PT0S", interrupting=False)
    package = pb.build()
    with pytest.raises(DeployError, match="repeating timer cycle needs a positive interval"):
        compile_process(package, package.workflow_processes[0])


def _timed(timer: str, every: int | None) -> PackageBuilder:
    """A person's task 'work' with a non-interrupting timer 'chase' on ``timer`` (over the
    INTEGER field ``every``) leading to the script 'nag'."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("every", "INTEGER", initial=None if every is None else str(every))
    p.start("s").activity("work", performer="clerk").end("e").sequence("s", "work", "e")
    p.intermediate("chase", timer=timer, attached_to="work", interrupting=False)
    p.activity("nag", script="every = every").end("e2").sequence("chase", "nag", "e2")
    return pb


def test_a_timer_whose_time_cannot_be_had_is_an_incident_on_the_event(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = run(engine, _timed("every * 60", None))  # no value: no time
    [incident] = engine.incidents(iid)
    assert (incident.activity_id, incident.operation) == ("chase", "arm")
    assert "'chase' is not armed" in incident.message
    [item] = engine.work_items(iid)  # the activity goes on without it
    assert engine.timers(iid) == []
    engine.complete_work_item(item.id)  # closing the activity resolves it
    assert engine.incidents(iid) == []
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_repeating_timer_whose_interval_comes_to_zero_is_an_incident_not_armed(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = run(engine, _timed("R/every", 0))  # as R/PT0S, which deploy refuses: no end
    clock.advance(timedelta(seconds=1))
    assert engine.trace(iid).count("nag") == 0
    [incident] = engine.incidents(iid)
    assert incident.operation == "arm" and "interval above zero" in incident.message
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    # an interval that becomes zero later stops the cycle there, with an incident
    iid = engine.start_process("main", {"every": 60})
    clock.advance(timedelta(seconds=60))
    engine.set_data(iid, {"every": 0})
    clock.advance(timedelta(seconds=60))  # fires, and its next cycle cannot be set
    clock.advance(timedelta(hours=1))
    assert engine.trace(iid).count("nag") == 2
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "chase" and engine.timers(iid) == []


def test_retrying_a_timer_that_could_not_be_armed_arms_it_from_then(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = run(engine, _timed("every * 60", None))
    [incident] = engine.incidents(iid)
    engine.set_data(iid, {"every": 5})
    clock.advance(timedelta(hours=1))
    engine.retry_incident(incident.id)
    assert engine.incidents(iid) == [] and len(engine.work_items(iid)) == 1
    clock.advance(timedelta(minutes=5))
    assert engine.trace(iid) == ["s", "chase", "nag", "e2"]


def test_a_message_interrupts_and_sets_its_data(engine: Engine) -> None:
    iid = run(engine, _task_with(message="withdrawn"))
    engine.send_message("withdrawn", {"note": "customer called"}, instance_id=iid)
    assert engine.trace(iid) == ["ev", "handle"]
    assert engine.instance(iid).data["note"] == "customer called"
    assert engine.work_items(iid) == []


def test_a_kept_message_fires_the_event_once_its_activity_begins(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity("first", performer="clerk").activity("work", performer="clerk")
    p.activity("done").activity("handle")
    p.intermediate("ev", attached_to="work", message="stop")
    p.transition("first", "work").transition("work", "done").transition("ev", "handle")
    iid = run(engine, pb)
    assert engine.send_message("stop", instance_id=iid) is False  # kept: nothing waits yet
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    assert engine.trace(iid) == ["first", "ev", "handle"]
    assert engine.work_items(iid) == []


def test_a_signal_that_does_not_interrupt(engine: Engine) -> None:
    iid = run(engine, _task_with(signal="price-change", interrupting=False))
    assert engine.broadcast_signal("price-change") == 1
    assert engine.trace(iid) == ["ev", "handle"]
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    assert engine.trace(iid) == ["ev", "handle", "work", "done"]


def test_a_condition_fires_when_the_data_makes_it_true(engine: Engine) -> None:
    iid = run(engine, _task_with(condition="note == 'urgent'", interrupting=False))
    engine.set_data(iid, {"note": "later"})
    assert engine.trace(iid) == []
    engine.set_data(iid, {"note": "urgent"})
    assert engine.trace(iid) == ["ev", "handle"]
    engine.set_data(iid, {"note": "urgent"})  # still true: it fired on becoming true
    assert engine.trace(iid) == ["ev", "handle"]
    engine.set_data(iid, {"note": "calm"})
    engine.set_data(iid, {"note": "urgent"})  # true again
    assert engine.trace(iid) == ["ev", "handle", "ev", "handle"]


def test_a_condition_already_true_fires_at_once(engine: Engine) -> None:
    iid = run(engine, _task_with(condition="note == 'x'"), data={"note": "x"})
    assert engine.trace(iid) == ["ev", "handle"]
    assert engine.work_items(iid) == []


def test_a_failing_application_is_caught_by_its_error_event(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("v", "INTEGER", initial="1")
    p.application("charge", params=[("v", "INOUT", "INTEGER")])
    p.activity("call", tool="charge", args=["v"]).activity("done").activity("refund")
    p.intermediate("failed", attached_to="call", trigger="Error", code="ValueError")
    p.transition("call", "done").transition("failed", "refund")

    def charge(v: int) -> dict[str, int]:
        raise ValueError("card declined")

    engine.applications.register("charge", charge)
    iid = run(engine, pb)
    assert engine.trace(iid) == ["failed", "refund"]
    assert engine.incidents(iid) == []
    assert _audit(engine, iid, "event.boundary") == [
        ("failed", {"trigger": "Error", "name": "ValueError", "interrupting": True})
    ]


def test_an_error_event_of_another_code_lets_it_through(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.application("charge")
    p.activity("call", tool="charge").activity("done").activity("refund")
    p.intermediate("failed", attached_to="call", trigger="Error", code="Timeout")
    p.transition("call", "done").transition("failed", "refund")
    engine.applications.register("charge", lambda: 1 / 0)
    iid = run(engine, pb)
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "call"


def _region(catch: dict[str, object], inner_end: dict[str, object]) -> PackageBuilder:
    """A block 'region' running 'a' then an end event; an event attached to the block."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    s = p.activity_set("inner")
    s.activity("a", performer="clerk").activity("b", performer="clerk")
    s.end("stop", **inner_end)  # type: ignore[arg-type]
    s.transition("a", "stop")
    p.block("region", activity_set="inner").activity("after").activity("caught")
    p.intermediate("ev", attached_to="region", **catch)  # type: ignore[arg-type]
    p.transition("region", "after").transition("ev", "caught")
    return pb


def test_wcp25_cancel_region(engine: Engine, clock: VirtualClock) -> None:
    # an interrupting event on a block cancels everything running inside it
    iid = run(engine, _region({"timer": "PT1H"}, {}))
    assert len(engine.work_items(iid)) == 2
    clock.advance(timedelta(hours=1))
    assert engine.work_items(iid) == []
    assert engine.trace(iid) == ["ev", "caught"]
    states = {a.activity_id: a.state.value for a in engine.activity_instances(iid)}
    assert states["a"] == states["b"] == states["region"] == "closed.aborted"
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_an_error_end_event_in_a_block_is_caught_on_the_block(engine: Engine) -> None:
    throw = {"result": "Error", "code": "E1"}
    iid = run(engine, _region({"trigger": "Error", "code": "E1"}, throw))
    a = next(w for w in engine.work_items(iid) if w.activity_id == "a")
    engine.complete_work_item(a.id)
    assert engine.trace(iid) == ["a", "stop", "ev", "caught"]
    assert engine.work_items(iid) == []  # b was withdrawn with the region
    assert _audit(engine, iid, "event.thrown") == [
        ("stop", {"trigger": "Error", "name": "E1", "caught_by": "region"})
    ]


def test_an_error_nothing_catches_is_an_incident_where_it_was_thrown(engine: Engine) -> None:
    throw = {"result": "Error", "code": "E1"}
    iid = run(engine, _region({"trigger": "Error", "code": "E2"}, throw))
    a = next(w for w in engine.work_items(iid) if w.activity_id == "a")
    engine.complete_work_item(a.id)
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "stop" and "error 'E1'" in incident.message


def test_an_escalation_that_does_not_interrupt(engine: Engine) -> None:
    catch = {"trigger": "Escalation", "code": "help", "interrupting": False}
    iid = run(engine, _region(catch, {"result": "Escalation", "code": "help"}))
    a = next(w for w in engine.work_items(iid) if w.activity_id == "a")
    engine.complete_work_item(a.id)
    assert engine.trace(iid) == ["a", "stop", "ev", "caught"]  # and the region goes on
    [b] = engine.work_items(iid)
    engine.complete_work_item(b.id)
    assert engine.trace(iid)[-2:] == ["region", "after"]


def test_an_error_thrown_in_a_subflow_is_caught_at_the_calling_activity(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    child = pb.process("child")
    child.activity("look", performer="clerk")
    child.end("broken", result="Error", code="NoStock")
    child.transition("look", "broken")
    p = pb.process("main")
    p.subflow("call", process="child").activity("ship").activity("apologise")
    p.intermediate("none", attached_to="call", trigger="Error", code="NoStock")
    p.transition("call", "ship").transition("none", "apologise")
    iid = run(engine, pb, process="main")
    [item] = engine.work_items()
    engine.complete_work_item(item.id)
    assert engine.trace(iid) == ["none", "apologise"]
    assert engine.instance(iid).state is ProcessState.COMPLETED
    [sub] = [s for s in engine.instance_summaries() if s.id != iid]
    assert sub.state is ProcessState.ABORTED


def test_a_boundary_event_on_another_graph_is_refused() -> None:
    from wfengine.runtime.compiler import compile_process

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("work")
    p.intermediate("ev", attached_to="nowhere", timer="PT1H")
    package = pb.build()
    with pytest.raises(DeployError, match="attached to 'nowhere'"):
        compile_process(package, package.workflow_processes[0])
