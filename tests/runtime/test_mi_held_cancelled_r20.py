"""An instance of a sequential multi-instance activity that its person completed, held by a
count that failed when evaluated again, stays completed when the activity is cancelled while
it is held (here by its synchronous deadline): it was recorded terminated, its work item
completed, and missing from the trace and the metrics."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_held_instance_cancelled_with_its_activity_stays_completed(
    store: str, tmp_path: Path
) -> None:
    clock = VirtualClock()
    url = f"sqlite:///{tmp_path / 'wf.db'}" if store == "sqlite" else None
    engine = Engine(clock=clock, db_url=url)
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("n", "FLOAT")
    p.activity(
        "m",
        performer="clerk",
        loop=multi_instance("n", ordering="Sequential"),
        deadlines=[("PT1H", "Late", "SYNCHR")],
    )
    p.activity("z", performer="clerk")
    p.activity("late", performer="clerk")
    p.transition("m", "z").transition("m", "late", exception="Late")
    engine.deploy(pb.build())
    iid = engine.start_process("main", {"n": 3.0})
    engine.complete_work_item(engine.work_items(iid)[0].id, {"n": 2.5})
    assert [i.operation for i in engine.incidents(iid)] == ["leave"]  # the count is held
    clock.advance(timedelta(hours=2))
    engine.fire_due_timers()
    states = [(a.mi_index, a.state.value) for a in engine.activity_instances(iid)]
    assert (0, "closed.completed") in states
    assert engine.trace(iid) == ["m"]
    assert engine.incidents(iid) == []
    assert [w.activity_id for w in engine.work_items(iid) if w.state.is_open] == ["late"]
    engine.close()
