"""Failures leave a clear, recoverable state: an incident, never a half-navigated instance."""

from __future__ import annotations

from typing import Any

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder, standard_loop
from wfengine.errors import DeployError
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ActivityState, ProcessState


def _conditional() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("a", split="Parallel").activity("b").activity("c")
    p.transition("a", "b", condition="x > 1").transition("a", "c", condition="y > 1")
    return pb


def test_failed_condition_leaves_activity_open_with_an_incident(engine: Engine) -> None:
    iid = run(engine, _conditional(), data={"x": 5})  # y is unknown: the second condition fails
    snap = engine.instance(iid)
    assert snap.state is ProcessState.RUNNING
    [incident] = engine.incidents(iid)
    assert iid in incident.message and "'a'" in incident.message and "y > 1" in incident.message
    a = engine.activity_instances(iid)[0]
    assert a.state is ActivityState.RUNNING and a.incident_id == incident.id
    assert engine.trace(iid) == []  # b was not started: nothing half-done
    engine.set_data(iid, {"y": 0})
    engine.retry_incident(incident.id)
    assert engine.trace(iid) == ["a", "b"]
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.incidents(iid) == []


def test_exclusive_split_with_no_way_out_is_an_incident(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("a").route("x", gateway="Exclusive").activity("b").activity("c")
    p.transition("a", "x")
    p.transition("x", "b", condition="x > 1").transition("x", "c", condition="x > 2")
    iid = run(engine, pb, data={"x": 0})
    [incident] = engine.incidents(iid)
    assert "no outgoing transition" in incident.message


def test_an_activity_whose_conditions_all_fail_ends_its_thread(engine: Engine) -> None:
    # implicit termination (WCP11): an activity that is not a gateway ends its thread
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("a").activity("b").transition("a", "b", condition="x > 1")
    iid = run(engine, pb, data={"x": 0})
    assert engine.incidents(iid) == []
    assert engine.trace(iid) == ["a"]
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert "activity.thread_ended" in [e.kind for e in engine.audit(iid)]


def _tool(engine: Engine, func: Any, *, handler: str | None = None) -> str:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("v", "INTEGER", initial="1")
    p.application("app", params=[("v", "INOUT", "INTEGER")])
    p.activity("call", tool="app", args=["v"]).activity("after").transition("call", "after")
    if handler:
        p.activity("handle").transition("call", "handle", exception=handler)
    engine.applications.register("app", func)
    return run(engine, pb)


def test_application_receives_in_and_returns_out_parameters(engine: Engine) -> None:
    seen: list[int] = []

    def app(v: int) -> dict[str, int]:
        seen.append(v)
        return {"v": v * 10}

    iid = _tool(engine, app)
    assert seen == [1]
    assert engine.instance(iid).data["v"] == 10


def test_application_error_without_handler_is_a_retryable_incident(engine: Engine) -> None:
    calls: list[int] = []

    def flaky(v: int) -> dict[str, int]:
        calls.append(v)
        if len(calls) < 2:
            raise ConnectionError("down")
        return {"v": 7}

    iid = _tool(engine, flaky)
    [incident] = engine.incidents(iid)
    assert "ConnectionError" in incident.message and "'app'" in incident.message
    engine.retry_incident(incident.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.instance(iid).data["v"] == 7


def test_application_error_follows_its_exception_transition(engine: Engine) -> None:
    def broken(v: int) -> None:
        raise ValueError("bad")

    iid = _tool(engine, broken, handler="ValueError")
    assert engine.trace(iid) == ["handle"]
    call = engine.activity_instances(iid)[0]
    assert call.state is ActivityState.ABORTED
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_unbound_application_is_an_incident_fixed_by_binding_it(engine: Engine) -> None:
    iid = _tool(engine, lambda v: {"v": 2})
    assert engine.instance(iid).state is ProcessState.COMPLETED
    engine.applications.unregister("app")
    iid = engine.start_process("main")
    [incident] = engine.incidents(iid)
    assert "not bound" in incident.message
    engine.applications.register("app", lambda v: {"v": 3})
    engine.retry_incident(incident.id)
    assert engine.instance(iid).data["v"] == 3


def test_application_returning_unknown_parameter_is_an_incident(engine: Engine) -> None:
    iid = _tool(engine, lambda v: {"nope": 1})
    [incident] = engine.incidents(iid)
    assert "nope" in incident.message and engine.instance(iid).data["v"] == 1


def test_parallel_join_after_exclusive_choice_is_reported_as_deadlock(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("a").activity("b").activity("c").activity("j", join="Parallel")
    p.transition("a", "b", condition="true").transition("a", "c", otherwise=True)
    p.transition("b", "j").transition("c", "j")
    iid = run(engine, pb)
    [incident] = engine.incidents(iid)
    assert incident.operation == "deadlock" and "'j'" in incident.message
    engine.terminate(iid)
    assert engine.instance(iid).state is ProcessState.TERMINATED


def test_endless_automatic_work_is_parked_with_an_incident_and_can_continue(
    engine: Engine,
) -> None:
    engine.max_steps = 10
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("i", "INTEGER", initial="0")
    p.application("inc", params=[("n", "INOUT", "INTEGER")])
    engine.applications.register("inc", lambda n: {"n": n + 1})
    p.activity("start").activity("body", tool="inc", args=["i"]).activity("end")
    p.transition("start", "body").transition("body", "body", condition="i < 25").transition(
        "body", "end", otherwise=True
    )
    iid = run(engine, pb)
    [incident] = engine.incidents(iid)
    assert incident.operation == "continue" and "automatic steps" in incident.message
    assert engine.instance(iid).state is ProcessState.RUNNING
    for _ in range(10):
        pending = engine.incidents(iid)
        if not pending:
            break
        engine.retry_incident(pending[0].id)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.instance(iid).data["i"] == 25
    assert engine.trace(iid) == ["start", *["body"] * 25, "end"]


def _branching(script: str | None) -> PackageBuilder:
    pb = PackageBuilder("pkg", script=script)
    p = pb.process("main")
    p.data_field("who", "STRING", initial="'x'")
    p.activity("a").activity("b").activity("c")
    # match() is JavaScript the front end does not read (regular expressions are not offered)
    p.transition("a", "b", condition='who.match("x") != null').transition("a", "c", otherwise=True)
    return pb


def test_unparseable_condition_in_native_package_refuses_deployment(engine: Engine) -> None:
    with pytest.raises(DeployError, match=r"match"):
        engine.deploy(_branching(None).build())


def test_javascript_conditions_run_through_the_dialect_front_end(engine: Engine) -> None:
    pb = PackageBuilder("pkg", script="text/javascript")
    p = pb.process("main")
    p.data_field("who", "STRING", initial="'xyz'")
    p.activity("a").activity("b").activity("c")
    p.transition("a", "b", condition='who.indexOf("y") != -1').transition("a", "c", otherwise=True)
    iid = run(engine, pb)
    assert engine.trace(iid) == ["a", "b"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_foreign_script_package_deploys_and_fails_only_where_reached(engine: Engine) -> None:
    iid = run(engine, _branching("text/javascript"))
    [incident] = engine.incidents(iid)
    assert "JavaScript that wfengine does not read" in incident.message
    assert "match" in incident.message
    assert engine.trace(iid) == []  # a stays open: nothing half-navigated
    assert engine.instance(iid).state is ProcessState.RUNNING


def test_a_while_loop_retried_after_its_condition_failed_is_not_traced_when_it_never_runs(
    engine: Engine,
) -> None:
    # as when the condition is false the first time: an activity whose body never ran is not in
    # the trace, whether the condition was tested at once or after an incident and a retry
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("s", "STRING", initial='"x"')
    p.activity("a")
    p.activity("w", script='s = s + "!"', loop=standard_loop("int(s) < 1", test_time="Before"))
    p.activity("z")
    p.transition("a", "w").transition("w", "z")
    iid = run(engine, pb)
    [incident] = engine.incidents(iid)
    assert incident.operation == "loop"
    engine.set_data(iid, {"s": "5"})
    engine.retry_incident(incident.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.trace(iid) == ["a", "z"]
    assert engine.instance(iid).data["s"] == "5"


def test_a_while_loop_retried_after_its_condition_failed_traces_each_iteration_once(
    engine: Engine,
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("s", "STRING", initial='"x"')
    p.activity("w", script='s = s + "1"', loop=standard_loop("int(s) < 100", test_time="Before"))
    p.activity("z").transition("w", "z")
    iid = run(engine, pb)
    [incident] = engine.incidents(iid)
    engine.set_data(iid, {"s": "5"})
    engine.retry_incident(incident.id)
    assert engine.instance(iid).data["s"] == "511"
    assert engine.trace(iid) == ["w", "w", "z"]


def test_a_deadlock_names_its_joins_in_declaration_order_on_every_store(engine: Engine) -> None:
    """Tokens stuck at two joins, come in the other order than the joins are declared: the
    incident names them (and is opened on the first) as every store reads the instance back,
    not in the order the memory store kept them (the stores opened it on different joins)."""
    b = PackageBuilder("dl")
    b.participant("clerk")
    p = b.process("main")
    p.data_field("route_a", "INTEGER", initial="0")
    p.start("start")
    p.route("split", gateway="Parallel")
    for person in ("a", "b", "c"):
        p.activity(person, performer="clerk")
    p.route("xa", gateway="Exclusive")
    p.route("xb", gateway="Exclusive")
    p.route("j_low", gateway="Parallel")
    p.route("j_high", gateway="Parallel")
    for end in ("e1", "e2", "e3"):
        p.end(end)
    for a, z in [("start", "split"), ("split", "a"), ("split", "b"), ("split", "c")]:
        p.transition(a, z)
    p.transition("a", "xa")
    p.transition("b", "xb")
    p.transition("xa", "j_low", condition="route_a == 1")
    p.transition("xa", "j_high", otherwise=True)
    p.transition("xb", "j_low", otherwise=True)
    p.transition("xb", "j_high", condition="route_a == 1")
    for a, z in [("j_low", "e1"), ("j_high", "e2"), ("c", "e3")]:
        p.transition(a, z)
    engine.deploy(b.build())
    iid = engine.start_process("main")
    for activity in ("a", "b", "c"):  # a's token reaches j_high first, then b's j_low
        [item] = [w for w in engine.work_items(iid) if w.activity_id == activity]
        engine.complete_work_item(item.id)
    [incident] = engine.incidents(iid)
    assert incident.operation == "deadlock"
    assert incident.activity_id == "j_low"
    assert "['j_low', 'j_high']" in incident.message
