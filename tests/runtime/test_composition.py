"""Subflows, block activities and deadlines."""

from __future__ import annotations

from datetime import timedelta

from tests.runtime.conftest import complete_all, run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ActivityState, ProcessState


def _subflow_package(execution: str = "SYNCHR") -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("a", "INTEGER", initial="2").data_field("b", "INTEGER", initial="3")
    p.data_field("total", "INTEGER").data_field("log", "STRING", initial="'start'")
    p.subflow("call", process="child", args=["a + 1", "total", "log"], execution=execution)
    p.activity("after").transition("call", "after")
    c = pb.process(
        "child",
        params=[("x", "IN", "INTEGER"), ("sum", "OUT", "INTEGER"), ("note", "INOUT", "STRING")],
    )
    c.application(
        "add",
        params=[("x", "IN", "INTEGER"), ("sum", "OUT", "INTEGER"), ("note", "INOUT", "STRING")],
    )
    c.activity("work", performer="clerk").activity("calc", tool="add", args=["x", "sum", "note"])
    c.transition("work", "calc")
    return pb


def _bind(engine: Engine) -> None:
    engine.applications.register("add", lambda x, note: {"sum": x * 10, "note": note + "+child"})


def test_synchronous_subflow_maps_in_out_and_inout_parameters(engine: Engine) -> None:
    _bind(engine)
    iid = run(engine, _subflow_package())
    [child] = [i for i in engine.instances(process_id="child")]
    assert child.parent_instance_id == iid
    assert child.data["x"] == 3 and child.data["note"] == "start"
    assert engine.trace(iid) == []  # the parent waits for the child
    complete_all(engine, child.id)
    assert engine.instance(child.id).state is ProcessState.COMPLETED
    parent = engine.instance(iid)
    assert parent.data["total"] == 30 and parent.data["log"] == "start+child"
    assert engine.trace(iid) == ["call", "after"]
    assert parent.state is ProcessState.COMPLETED


def test_asynchronous_subflow_does_not_wait(engine: Engine) -> None:
    _bind(engine)
    iid = run(engine, _subflow_package("ASYNCHR"))
    assert engine.instance(iid).state is ProcessState.COMPLETED
    [child] = engine.instances(process_id="child")
    assert child.state is ProcessState.RUNNING
    complete_all(engine, child.id)
    assert engine.instance(iid).data["total"] is None  # no OUT mapping back


def test_suspending_an_instance_pauses_the_subflow_it_waits_for(engine: Engine) -> None:
    """The synchronous child is the parent's work: suspended with it and resumed with it
    (its items could be completed and its deadlines fire while the parent was suspended);
    an asynchronous child is its own and goes on."""
    import pytest

    from wfengine.errors import IllegalStateError

    _bind(engine)
    iid = run(engine, _subflow_package())
    [child] = engine.instances(process_id="child")
    engine.suspend(iid)
    assert engine.instance(child.id).state is ProcessState.SUSPENDED
    (item,) = engine.work_items(child.id)
    with pytest.raises(IllegalStateError, match="suspended"):
        engine.complete_work_item(item.id)
    engine.resume(iid)
    assert engine.instance(child.id).state is ProcessState.RUNNING
    complete_all(engine, child.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    other = run(engine, _subflow_package("ASYNCHR"))
    assert engine.instance(other).state is ProcessState.COMPLETED  # (nothing to suspend)
    [running] = [c for c in engine.instances(process_id="child") if c.state.is_open]
    assert running.parent_instance_id == other


def test_terminating_a_synchronous_child_makes_an_incident_on_the_parent(engine: Engine) -> None:
    _bind(engine)
    iid = run(engine, _subflow_package())
    [child] = engine.instances(process_id="child")
    engine.terminate(child.id)
    [incident] = engine.incidents(iid)
    assert "closed.terminated" in incident.message


def test_subflow_to_a_process_of_another_package(engine: Engine) -> None:
    lib = PackageBuilder("lib")
    lib.process("shared", params=[("n", "INOUT", "INTEGER")]).activity("noop")
    engine.deploy(lib.build())
    pb = PackageBuilder("app")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="5")
    p.subflow("call", process="shared", args=["n"], package_ref="lib")
    iid = run(engine, pb)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.instance(iid).data["n"] == 5


def test_block_activity_runs_its_activity_set(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    s = p.activity_set("inner")
    s.activity("x").activity("y", performer="clerk").sequence("x", "y")
    p.activity("a").block("blk", activity_set="inner").activity("z").sequence("a", "blk", "z")
    iid = run(engine, pb)
    assert engine.trace(iid) == ["a", "x"]
    complete_all(engine, iid)
    assert engine.trace(iid) == ["a", "x", "y", "blk", "z"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_asynchronous_deadline_starts_the_exception_flow_alongside(
    engine: Engine, clock: VirtualClock
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("work", performer="clerk", deadlines=[("PT10M", "Reminder", "ASYNCHR")])
    p.activity("remind", performer="boss").activity("done")
    p.transition("work", "done").transition("work", "remind", exception="Reminder")
    iid = run(engine, pb)
    assert len(engine.timers(iid)) == 1
    clock.advance(timedelta(minutes=10))
    assert sorted(w.activity_id for w in engine.work_items(iid)) == ["remind", "work"]
    complete_all(engine, iid)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.timers(iid) == []


def test_deadline_is_cancelled_when_the_activity_completes_in_time(
    engine: Engine, clock: VirtualClock
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("work", performer="clerk", deadlines=[("PT10M", "Late", "SYNCHR")])
    p.activity("late").transition("work", "late", default_exception=True)
    iid = run(engine, pb)
    complete_all(engine, iid)
    assert engine.timers(iid) == []
    clock.advance(timedelta(hours=1))
    assert engine.trace(iid) == ["work"]


def test_default_exception_catches_an_unnamed_deadline(engine: Engine, clock: VirtualClock) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("secs", "INTEGER", initial="30")
    p.activity("work", performer="clerk", deadlines=[("secs", "Whatever", "SYNCHR")])
    p.activity("late").transition("work", "late", default_exception=True)
    iid = run(engine, pb)
    clock.advance(timedelta(seconds=30))
    assert engine.trace(iid) == ["late"]
    assert engine.activity_instances(iid)[0].state is ActivityState.TERMINATED


def test_timers_of_a_suspended_instance_wait_for_resume(
    engine: Engine, clock: VirtualClock
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("work", performer="clerk", deadlines=[("PT1M", "Late", "SYNCHR")])
    p.activity("late").transition("work", "late", exception="Late")
    iid = run(engine, pb)
    engine.suspend(iid)
    clock.advance(timedelta(minutes=5))
    assert engine.trace(iid) == []
    engine.resume(iid)
    assert engine.trace(iid) == ["late"]
