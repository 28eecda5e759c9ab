"""Start events are alternative ways in: an instance started by hand (``start_process``, a
subflow) begins at the process's None start events, not also at a Timer or Message start
event beside them (which say when *else* an instance begins); a process with only triggered
start events begins at them; ``start_by_message`` begins at its Message start event only."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock


def _two_ways_in(trigger: dict[str, str]) -> PackageBuilder:
    pb = PackageBuilder("pk")
    p = pb.process("main")
    p.start("by_hand")
    p.start("other_way", **trigger)  # type: ignore[arg-type]
    p.activity("check", performer="clerk")
    p.end("e")
    p.transition("by_hand", "check").transition("other_way", "check").transition("check", "e")
    return pb


@pytest.mark.parametrize(
    "trigger", [{"timer": "R/P1D"}, {"message": "order"}], ids=["timer", "message"]
)
def test_start_process_begins_at_the_none_start_event_only(trigger: dict[str, str]) -> None:
    """The work was offered twice and done twice in one instance (both start events ran)."""
    with Engine(clock=VirtualClock()) as engine:
        engine.deploy(_two_ways_in(trigger).build())
        pi = engine.start_process("main")
        assert engine.trace(pi) == ["by_hand"]
        [item] = engine.work_items(pi)
        engine.complete_work_item(item.id)
        assert engine.trace(pi) == ["by_hand", "check", "e"]
        assert engine.instance(pi).state.value == "closed.completed"


def test_start_by_message_still_begins_at_its_message_start_event_only() -> None:
    with Engine(clock=VirtualClock()) as engine:
        engine.deploy(_two_ways_in({"message": "order"}).build())
        pi = engine.start_by_message("order")
        assert engine.trace(pi) == ["other_way"]
        assert [w.activity_id for w in engine.work_items(pi)] == ["check"]


def test_a_subflow_begins_at_the_called_process_s_none_start_event_only() -> None:
    pb = _two_ways_in({"timer": "R/P1D"})
    caller = pb.process("caller")
    caller.start("s").subflow("call", process="main").end("e")
    caller.sequence("s", "call", "e")
    with Engine(clock=VirtualClock()) as engine:
        engine.deploy(pb.build())
        engine.start_process("caller")
        [item] = engine.work_items()
        assert engine.trace(item.instance_id) == ["by_hand"]


def test_a_process_with_only_triggered_start_events_begins_at_them_when_started_by_hand() -> None:
    """``start_process`` is the host saying "now": the engine does not schedule Timer start
    events, so a process that has no other way in starts there."""
    pb = PackageBuilder("pk")
    p = pb.process("later")
    p.start("on_new_year", at="2030-01-01T00:00:00Z")
    p.activity("greet", performer="clerk").end("e")
    p.sequence("on_new_year", "greet", "e")
    with Engine(clock=VirtualClock()) as engine:
        engine.deploy(pb.build())
        pi = engine.start_process("later")
        assert engine.trace(pi) == ["on_new_year"]
        assert [w.activity_id for w in engine.work_items(pi)] == ["greet"]


def test_a_block_begins_its_activity_set_at_the_none_start_event_only() -> None:
    # the same rule inside a block: its activity set's Message start event beside the None
    # one is another way in, not a second thread through the set
    pb = PackageBuilder("pk")
    p = pb.process("main")
    s = p.activity_set("inner")
    s.start("by_hand").start("other_way", message="order")
    s.activity("check", performer="clerk").end("e")
    s.transition("by_hand", "check").transition("other_way", "check").transition("check", "e")
    p.block("b", activity_set="inner").activity("after")
    p.transition("b", "after")
    with Engine(clock=VirtualClock()) as engine:
        engine.deploy(pb.build())
        pi = engine.start_process("main")
        [item] = engine.work_items(pi)
        engine.complete_work_item(item.id)
        assert engine.trace(pi) == ["by_hand", "check", "e", "b", "after"]
        assert engine.instance(pi).state.value == "closed.completed"
