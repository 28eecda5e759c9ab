"""An activity instance starts with the shared empty ``timers`` and ``fired``
(:mod:`wfengine.runtime.empty_defaults`) instead of two containers of its own: whatever sets a
timer or records a firing gives the instance its own first, so one instance's timers and
firings never show in another's, and the shared ones stay empty."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.runtime.empty_defaults import NO_TIMERS, NOT_FIRED
from wfengine.runtime.instance import ActivityInstance
from wfengine.runtime.memory_store import MemoryStore


def _work(engine: Engine, iid: str) -> ActivityInstance:
    store = engine.store
    assert isinstance(store, MemoryStore)  # (its live records)
    [ai] = [a for a in store.instance(iid).activities.values() if a.act.id == "work"]
    return ai


def _engine(**event: object) -> tuple[Engine, VirtualClock]:
    clock = VirtualClock()
    engine = Engine(clock=clock)
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("v", "INTEGER", initial="0")
    p.activity("start").activity("work", performer="clerk").activity("done")
    p.activity("handle")
    p.intermediate("ev", attached_to="work", interrupting=False, **event)  # type: ignore[arg-type]
    p.transition("start", "work").transition("work", "done").transition("ev", "handle")
    engine.deploy(pb.build())
    return engine, clock


def test_each_instance_with_a_timer_has_its_own_list_and_the_shared_one_stays_empty() -> None:
    engine, clock = _engine(timer="R/PT1H")
    first, second = engine.start_process("main"), engine.start_process("main")
    a, b = _work(engine, first), _work(engine, second)
    assert len(a.timers) == 1 and len(b.timers) == 1 and a.timers is not b.timers
    assert a.timers != b.timers and NO_TIMERS == []
    clock.advance(timedelta(hours=1))  # the cycle fires and sets its next timer, in each
    assert len(a.timers) == 1 and len(b.timers) == 1 and a.timers != b.timers
    [item] = engine.work_items(first)
    engine.complete_work_item(item.id)  # its timer goes: the other instance keeps its own
    assert a.timers is NO_TIMERS and len(b.timers) == 1 and NO_TIMERS == []


def test_a_firing_is_recorded_in_the_instance_s_own_dict() -> None:
    engine, _ = _engine(condition="v > 1")
    first, second = engine.start_process("main"), engine.start_process("main")
    a, b = _work(engine, first), _work(engine, second)
    assert a.fired == b.fired == {0: 0} and a.fired is not b.fired  # (armed: not holding)
    engine.set_data(first, {"v": 2})  # holds in the first only: it fires there
    assert a.fired == {0: 1} and b.fired == {0: 0} and NOT_FIRED == {}
    assert engine.trace(first)[-1] == "handle"
    [item] = engine.work_items(second)
    assert engine.store.instance(second).activities[item.activity_instance_id] is b


def test_the_shared_empties_refuse_a_change_in_place() -> None:
    with pytest.raises(TypeError):
        NO_TIMERS.append("job-1")
    with pytest.raises(TypeError):
        NOT_FIRED[0] = 1
    assert NO_TIMERS == [] and NOT_FIRED == {}
