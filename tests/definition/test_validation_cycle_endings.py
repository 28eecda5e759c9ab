"""``cycle-no-exit`` and ``no-end`` are for loops that nothing ends. A loop that no transition
leaves is no trap when something else ends it: a Terminate end event a thread beside it can
reach, an interrupting event sub-process of its scope or of a scope around it, an interrupting
event on the block running it ("remind every hour until approved", "poll until a message
comes"). Before, validation reported those as errors and deploy refused them, though every
instance ends; a loop that nothing ends is still reported."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.definition.diagnostics import Diagnostic
from wfengine.definition.model import Package
from wfengine.definition.validation import validate
from wfengine.errors import DeployError


def _codes(found: list[Diagnostic]) -> list[str]:
    return [d.code for d in found]


def _reminders(gateway: str = "Parallel", *, terminate: bool = True) -> Package:
    """Remind every hour beside an approval that leads to ``done`` (a Terminate end)."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.participant("boss")
    p.data_field("reminders", "INTEGER", initial="0")
    p.start("s").route("fork", gateway=gateway)
    p.intermediate("wait", timer="PT1H").activity("remind", script="reminders = reminders + 1")
    p.activity("approve", performer="boss").end("done", terminate=terminate)
    p.sequence("s", "fork", "wait", "remind", "wait")
    p.sequence("fork", "approve", "done")
    return pb.build()


def test_a_loop_beside_a_way_to_a_terminate_end_validates_and_its_instance_completes() -> None:
    package = _reminders()
    assert validate(package) == []
    clock = VirtualClock()
    with Engine(clock=clock) as engine:
        engine.deploy(package)
        iid = engine.start_process("main")
        clock.advance(timedelta(hours=3))
        [item] = engine.work_items(iid)
        engine.complete_work_item(item.id)
        instance = engine.instance(iid)
        assert (instance.state, instance.data["reminders"]) == ("closed.completed", 3)


@pytest.mark.parametrize(
    ("gateway", "terminate"), [("Exclusive", True), ("Parallel", False)], ids=["xor", "plain-end"]
)
def test_a_loop_no_terminate_end_beside_it_ends_is_still_a_trap(
    gateway: str, terminate: bool
) -> None:
    # the Terminate end on the other way of an exclusive choice never runs beside the loop; a
    # plain end beside it ends that thread only
    package = _reminders(gateway, terminate=terminate)
    [trap] = [d for d in validate(package) if d.code == "cycle-no-exit"]
    assert trap.element_id == "wait" and "nothing ends it" in trap.message
    with pytest.raises(DeployError, match="cycle-no-exit"):
        Engine().deploy(package)


def test_reminders_a_non_interrupting_timer_starts_until_a_terminate_end_are_no_trap() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.participant("boss")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s").activity("approve", performer="boss").end("done", terminate=True)
    p.intermediate("late", timer="PT1H", attached_to="approve", interrupting=False)
    p.intermediate("wait", timer="PT1H").activity("remind", script="n = n + 1")
    p.sequence("s", "approve", "done")
    p.sequence("late", "wait", "remind", "wait")
    assert validate(pb.build()) == []


def _ended_by_event_subprocess(interrupting: bool | None) -> Package:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s").intermediate("wait", timer="PT1H").activity("remind", script="n = n + 1")
    p.sequence("s", "wait", "remind", "wait")
    stop = p.activity_set("stop", triggered_by_event=True)
    stop.start("got", message="approved", interrupting=interrupting).end("fin")
    stop.transition("got", "fin")
    p.block("on_approval", activity_set="stop")
    return pb.build()


def test_a_loop_an_interrupting_event_subprocess_ends_validates_and_completes() -> None:
    package = _ended_by_event_subprocess(interrupting=None)
    assert validate(package) == []  # no cycle-no-exit, and the way into the loop is no dead end
    clock = VirtualClock()
    with Engine(clock=clock) as engine:
        engine.deploy(package)
        iid = engine.start_process("main")
        clock.advance(timedelta(hours=2))
        engine.send_message("approved", {}, instance_id=iid)
        instance = engine.instance(iid)
        assert (instance.state, instance.data["n"]) == ("closed.completed", 2)


def test_a_loop_beside_a_non_interrupting_event_subprocess_is_still_a_trap() -> None:
    found = validate(_ended_by_event_subprocess(interrupting=False))
    assert "cycle-no-exit" in _codes(found)


def _polling_block(
    *, interrupting: bool | None = None, set_tool: bool = False, **on: str
) -> Package:
    """A block running ``poll``, a set that loops with no end, with an event ``on`` it."""
    pb = PackageBuilder("pkg")
    pb.application("check")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    poll = p.activity_set("poll")
    poll.start("ps").intermediate("w", timer="PT1H")
    if set_tool:
        poll.activity("r", tool="check")
    else:
        poll.activity("r", script="n = n + 1")
    poll.sequence("ps", "w", "r", "w")
    p.start("s").block("b", activity_set="poll").end("e")
    p.intermediate("stop", attached_to="b", interrupting=interrupting, **on)  # type: ignore[arg-type]
    p.end("e2").sequence("s", "b", "e").transition("stop", "e2")
    return pb.build()


def test_a_looping_set_an_interrupting_event_on_its_block_ends_needs_no_end() -> None:
    package = _polling_block(message="approved")
    assert validate(package) == []
    clock = VirtualClock()
    with Engine(clock=clock) as engine:
        engine.deploy(package)
        iid = engine.start_process("main")
        clock.advance(timedelta(hours=3))
        engine.send_message("approved", {}, instance_id=iid)
        instance = engine.instance(iid)
        assert (instance.state, instance.data["n"]) == ("closed.completed", 3)


def test_a_looping_set_a_non_interrupting_event_on_its_block_leaves_running_has_no_end() -> None:
    found = validate(_polling_block(interrupting=False, message="approved"))
    [no_end] = [d for d in found if d.code == "no-end"]
    assert no_end.element_id == "poll"


@pytest.mark.parametrize("set_tool", [True, False], ids=["application-may-fail", "script-only"])
def test_an_error_event_on_the_block_ends_the_set_only_when_something_inside_can_throw(
    set_tool: bool,
) -> None:
    found = validate(_polling_block(set_tool=set_tool, trigger="Error"))
    assert ("no-end" in _codes(found)) is not set_tool


def _loop_in_a_block(*, around: str) -> Package:
    """A block running ``poll``, a set whose loop no transition leaves, ended by what is
    ``around`` it in the process's top level: an interrupting event sub-process, a Terminate
    end event beside the block, or (``nothing``) neither."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.participant("boss")
    p.data_field("n", "INTEGER", initial="0")
    poll = p.activity_set("poll")
    poll.start("ps").intermediate("w", timer="PT1H").activity("r", script="n = n + 1")
    poll.sequence("ps", "w", "r", "w")
    p.start("s").route("fork", gateway="Parallel").block("b", activity_set="poll").end("e")
    p.activity("approve", performer="boss").end("done", terminate=around == "terminate")
    p.sequence("s", "fork", "b", "e").sequence("fork", "approve", "done")
    if around == "event-subprocess":
        stop = p.activity_set("stop", triggered_by_event=True)
        stop.start("got", message="approved").end("fin")
        stop.transition("got", "fin")
        p.block("on_approval", activity_set="stop")
    return pb.build()


@pytest.mark.parametrize("around", ["terminate", "event-subprocess"])
def test_a_loop_in_a_block_something_around_the_block_ends_needs_no_end(around: str) -> None:
    package = _loop_in_a_block(around=around)
    assert validate(package) == []
    with Engine() as engine:
        engine.deploy(package)
        iid = engine.start_process("main")
        if around == "terminate":
            [item] = engine.work_items(iid)
            engine.complete_work_item(item.id)
        else:
            engine.send_message("approved", {}, instance_id=iid)
        assert engine.instance(iid).state == "closed.completed"


def test_a_loop_in_a_block_nothing_around_ends_has_no_end() -> None:
    found = validate(_loop_in_a_block(around="nothing"))
    assert [(d.code, d.element_id) for d in found if d.code == "no-end"] == [("no-end", "poll")]


@pytest.mark.parametrize(("second", "trap"), [("None", False), ("Message", True)])
def test_a_terminate_end_from_another_start_ends_the_loop_when_the_starts_begin_together(
    second: str, trap: bool
) -> None:
    # two None start events begin together; a Message start event is another way in, so an
    # instance started at the None start event never reaches the Terminate end
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.participant("boss")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s").intermediate("wait", timer="PT1H").activity("remind", script="n = n + 1")
    p.start("s2", **({"message": "go"} if second == "Message" else {}))  # type: ignore[arg-type]
    p.activity("approve", performer="boss").end("done", terminate=True)
    p.sequence("s", "wait", "remind", "wait").sequence("s2", "approve", "done")
    assert ("cycle-no-exit" in _codes(validate(pb.build()))) is trap
