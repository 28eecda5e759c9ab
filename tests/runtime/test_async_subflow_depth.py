"""An asynchronous subflow does not nest: its caller waits for nothing, so the called instance
is the top of its own stack and ``RuntimeLimits.max_subflow_depth`` counts from it. A process
that starts its successor asynchronously and completes (a case a day) stopped at generation
65 with an incident no retry could clear, though every earlier generation had closed."""

from __future__ import annotations

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.limits import RuntimeLimits
from wfengine.runtime.states import ProcessState


def _successors(execution: str) -> PackageBuilder:
    """``main`` has a person do its work, then starts the next ``main`` and completes."""
    pb = PackageBuilder("pkg")
    p = pb.process("main", params=[("n", "IN", "INTEGER")])
    p.activity("work", performer="clerk")
    p.subflow("next", process="main", args=["n + 1"], execution=execution)
    p.transition("work", "next")
    return pb


def test_a_chain_of_asynchronous_successors_outlives_the_depth_limit(engine: Engine) -> None:
    engine.limits = RuntimeLimits(max_subflow_depth=5)
    first = run(engine, _successors("ASYNCHR"), data={"n": 1})
    current = first
    for _ in range(100):  # 20 times the depth limit
        (item,) = engine.work_items(current)
        engine.complete_work_item(item.id)
        (current,) = (i.id for i in engine.instances(process_id="main") if i.state.is_open)
    assert engine.incidents() == []
    latest = engine.instance(current)
    assert latest.data["n"] == 101
    assert engine.instance(first).state is ProcessState.COMPLETED
    # the caller is still named: the link is for the status and the trail, not a level
    assert latest.parent_instance_id is not None
    assert engine.instance(latest.parent_instance_id).data["n"] == 100


def test_a_synchronous_chain_still_stops_at_the_depth_limit(engine: Engine) -> None:
    engine.limits = RuntimeLimits(max_subflow_depth=5)
    run(engine, _successors("SYNCHR"), data={"n": 1})
    for _ in range(6):  # the root and 5 levels, each doing its work and calling the next
        (current,) = (i.id for i in engine.instances() if engine.work_items(i.id))
        (item,) = engine.work_items(current)
        engine.complete_work_item(item.id)
    (incident,) = engine.incidents()
    assert (
        "a synchronous subflow 6 levels deep is more than RuntimeLimits.max_subflow_depth (5)"
        in (incident.message)
    )
    assert engine.retry_incident(incident.id)[0].message == incident.message
    assert len(engine.instances()) == 6  # the root and 5 levels, each waiting for the next


def test_a_depth_limit_of_0_still_forbids_asynchronous_subflows(engine: Engine) -> None:
    engine.limits = RuntimeLimits(max_subflow_depth=0)
    first = run(engine, _successors("ASYNCHR"), data={"n": 1})
    (item,) = engine.work_items(first)
    engine.complete_work_item(item.id)
    (incident,) = engine.incidents()
    assert "subflows are not allowed (RuntimeLimits.max_subflow_depth is 0)" in incident.message
    assert len(engine.instances()) == 1
