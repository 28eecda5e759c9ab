"""A scope with no start events starts every activity with no way in (semantics.md, ad-hoc
sets; ``definition.graph.start_ids``), an intermediate catch event among them too: it begins
with the scope and waits for its trigger. Only a triggered *start* event beside a None one is
another way in that a start by hand passes over."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.runtime.conftest import complete_all, run
from wfengine import Engine, PackageBuilder, ProcessState, VirtualClock
from wfengine.definition.build_flow import FlowBuilder
from wfengine.definition.builder import ProcessBuilder


def _task_beside_a_timer(p: FlowBuilder) -> None:
    p.activity("task1", performer="clerk")
    p.intermediate("tmr", timer="PT1H").activity("auto", script="c = c + 1")
    p.sequence("tmr", "auto")


def _package() -> tuple[PackageBuilder, ProcessBuilder]:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("c", "INTEGER", initial="0")
    return pb, p


def test_a_timer_with_no_way_in_beside_a_task_starts_with_the_process(
    engine: Engine, clock: VirtualClock
) -> None:
    pb, p = _package()
    _task_beside_a_timer(p)
    iid = run(engine, pb)
    assert sorted(a.activity_id for a in engine.activity_instances(iid)) == ["task1", "tmr"]
    assert len(engine.timers(iid)) == 1
    clock.advance(timedelta(hours=2))
    assert engine.instance(iid).data["c"] == 1
    complete_all(engine, iid)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert sorted(engine.trace(iid)) == ["auto", "task1", "tmr"]


def test_a_timer_with_no_way_in_starts_with_its_ad_hoc_set(
    engine: Engine, clock: VirtualClock
) -> None:
    # the timer waits without holding the set, and the set is done once it and the task are
    pb, p = _package()
    s = p.activity_set("set", adhoc="Parallel")
    _task_beside_a_timer(s)
    p.start("s0").block("blk", activity_set="set").end("e").sequence("s0", "blk", "e")
    iid = run(engine, pb)
    assert len(engine.timers(iid)) == 1
    complete_all(engine, iid)
    assert engine.instance(iid).state is ProcessState.RUNNING
    clock.advance(timedelta(hours=1))
    assert engine.instance(iid).data["c"] == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_message_catch_with_no_way_in_waits_beside_the_other_starts(engine: Engine) -> None:
    pb, p = _package()
    p.activity("task1", performer="clerk")
    p.intermediate("order", message="order").activity("auto", script="c = c + 1")
    p.sequence("order", "auto")
    iid = run(engine, pb)
    engine.send_message("order", instance_id=iid)
    complete_all(engine, iid)
    assert engine.instance(iid).data["c"] == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_message_catch_with_no_way_in_is_no_message_start_event(engine: Engine) -> None:
    # it waits in a running instance; a message by that name starts no new instance there
    from wfengine.errors import NotFoundError

    pb, p = _package()
    p.activity("task1", performer="clerk")
    p.intermediate("order", message="order").activity("auto", script="c = c + 1")
    p.sequence("order", "auto")
    engine.deploy(pb.build())
    with pytest.raises(NotFoundError, match="Message start event"):
        engine.start_by_message("order")
    assert engine.instance_summaries() == []


def test_a_timer_start_event_beside_a_none_one_is_still_another_way_in(engine: Engine) -> None:
    pb, p = _package()
    p.start("s").start("each_morning", timer="PT1H")
    p.activity("auto", script="c = c + 1").end("e")
    p.sequence("s", "auto", "e").transition("each_morning", "auto")
    iid = run(engine, pb)
    assert engine.timers(iid) == []
    assert engine.trace(iid) == ["s", "auto", "e"]
