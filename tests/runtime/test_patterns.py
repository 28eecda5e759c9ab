"""One test per workflow control-flow pattern (Russell et al. 2006) the engine supports.

Each test builds the smallest process that shows the pattern and asserts what a user relies
on: which activities ran, how often, in which order, and that the instance ends closed.
"""

from __future__ import annotations

from typing import Any

from tests.runtime.conftest import complete_all, run
from wfengine.definition.builder import PackageBuilder, multi_instance, standard_loop
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ActivityState, ProcessState

COMPLETED = ProcessState.COMPLETED


def _pb() -> tuple[PackageBuilder, Any]:
    pb = PackageBuilder("pkg")
    return pb, pb.process("main")


def test_wcp01_sequence(engine: Engine) -> None:
    pb, p = _pb()
    p.activity("a").activity("b").activity("c").sequence("a", "b", "c")
    iid = run(engine, pb)
    assert engine.instance(iid).state is COMPLETED
    assert engine.trace(iid) == ["a", "b", "c"]


def test_wcp02_parallel_split(engine: Engine) -> None:
    pb, p = _pb()
    p.activity("a", split="Parallel").activity("b", performer="clerk").activity(
        "c", performer="clerk"
    )
    p.transition("a", "b").transition("a", "c")
    iid = run(engine, pb)
    assert sorted(w.activity_id for w in engine.work_items(iid)) == ["b", "c"]
    complete_all(engine, iid)
    assert engine.instance(iid).state is COMPLETED


def test_wcp03_synchronization(engine: Engine) -> None:
    pb, p = _pb()
    p.route("s", gateway="Parallel").activity("b").activity("c", performer="clerk")
    p.activity("d", join="Parallel")
    p.transition("s", "b").transition("s", "c").transition("b", "d").transition("c", "d")
    iid = run(engine, pb)
    assert engine.trace(iid) == ["s", "b"]  # d waits for c
    assert [t.activity_id for t in engine.tokens(iid)] == ["d"]
    complete_all(engine, iid)
    assert engine.trace(iid) == ["s", "b", "c", "d"]
    assert engine.tokens(iid) == []
    assert engine.instance(iid).state is COMPLETED


def _choice(engine: Engine, amount: int) -> list[str]:
    pb, p = _pb()
    p.data_field("amount", "INTEGER")
    p.activity("a").activity("big").activity("small").activity("end")
    p.transition("a", "big", condition="amount > 100").transition("a", "small", otherwise=True)
    p.transition("big", "end").transition("small", "end")
    iid = run(engine, pb, data={"amount": amount})
    assert engine.instance(iid).state is COMPLETED
    return engine.trace(iid)


def test_wcp04_exclusive_choice(engine: Engine) -> None:
    assert _choice(engine, 500) == ["a", "big", "end"]
    assert _choice(engine, 5) == ["a", "small", "end"]


def test_wcp05_simple_merge(engine: Engine) -> None:
    trace = _choice(engine, 500)
    assert trace.count("end") == 1


def test_otherwise_is_taken_only_when_no_condition_holds_wherever_it_stands(
    engine: Engine,
) -> None:
    pb, p = _pb()
    p.data_field("x", "INTEGER")
    p.activity("a").activity("o").activity("c")
    p.transition("a", "o", otherwise=True).transition("a", "c", condition="x == 1")
    iid = run(engine, pb, data={"x": 1})
    assert engine.trace(iid) == ["a", "c"]


def _multi_choice(engine: Engine, x: int, y: int, split: str = "Inclusive") -> list[str]:
    pb, p = _pb()
    p.data_field("x", "INTEGER").data_field("y", "INTEGER")
    p.activity("a", split=split).activity("b").activity("c").activity("d")
    p.transition("a", "b", condition="x > 0").transition("a", "c", condition="y > 0")
    p.transition("a", "d", otherwise=True)
    iid = run(engine, pb, data={"x": x, "y": y})
    assert engine.instance(iid).state is COMPLETED
    return engine.trace(iid)


def test_wcp06_multi_choice(engine: Engine) -> None:
    assert _multi_choice(engine, 1, 1) == ["a", "b", "c"]
    assert _multi_choice(engine, 1, 0) == ["a", "b"]
    assert _multi_choice(engine, 0, 0) == ["a", "d"]


def test_wcp06_xpdl1_and_split_with_conditions_is_a_multi_choice(engine: Engine) -> None:
    assert _multi_choice(engine, 0, 1, split="Parallel") == ["a", "c"]


def _sync_merge(engine: Engine, x: int, y: int) -> tuple[Engine, str]:
    pb, p = _pb()
    p.data_field("x", "INTEGER").data_field("y", "INTEGER")
    p.activity("a", split="Inclusive")
    p.activity("b", performer="clerk").activity("c", performer="clerk")
    p.activity("m", join="Inclusive")
    p.transition("a", "b", condition="x > 0").transition("a", "c", condition="y > 0")
    p.transition("b", "m").transition("c", "m")
    return engine, run(engine, pb, data={"x": x, "y": y})


def test_wcp07_structured_synchronizing_merge(engine: Engine) -> None:
    engine, iid = _sync_merge(engine, 1, 1)
    first = engine.work_items(iid)[0]
    engine.complete_work_item(first.id)
    assert "m" not in engine.trace(iid)  # the other taken branch is still live
    complete_all(engine, iid)
    assert engine.trace(iid).count("m") == 1
    assert engine.instance(iid).state is COMPLETED


def test_wcp07_merge_fires_at_once_when_only_one_branch_was_taken(engine: Engine) -> None:
    engine, iid = _sync_merge(engine, 0, 1)
    complete_all(engine, iid)
    assert engine.trace(iid) == ["a", "c", "m"]


def test_wcp08_multi_merge(engine: Engine) -> None:
    pb, p = _pb()
    p.route("s", gateway="Parallel").activity("b").activity("c").activity("d").activity("e")
    p.transition("s", "b").transition("s", "c").transition("b", "d").transition("c", "d")
    p.transition("d", "e")
    iid = run(engine, pb)
    assert engine.trace(iid).count("d") == 2
    assert engine.trace(iid).count("e") == 2
    assert engine.instance(iid).state is COMPLETED


def test_wcp09_structured_discriminator(engine: Engine) -> None:
    pb, p = _pb()
    p.route("s", gateway="Parallel")
    for b in ("b1", "b2", "b3"):
        p.activity(b, performer="clerk").transition("s", b)
    from wfengine.definition.model import GatewayType, Join

    p.activity("d", join=Join(type=GatewayType.COMPLEX, incoming_condition="arrived >= 1"))
    for b in ("b1", "b2", "b3"):
        p.transition(b, "d")
    iid = run(engine, pb)
    items = engine.work_items(iid)
    engine.complete_work_item(items[1].id)
    assert engine.trace(iid)[-1] == "d"  # the first arrival fires the join
    complete_all(engine, iid)
    assert engine.trace(iid).count("d") == 1  # later arrivals are absorbed
    assert engine.instance(iid).state is COMPLETED
    assert engine.tokens(iid) == []


def _counter_app(p: Any, engine: Engine) -> None:
    p.application("inc", params=[("n", "INOUT", "INTEGER")])
    engine.applications.register("inc", lambda n: {"n": n + 1})


def test_wcp10_arbitrary_cycles(engine: Engine) -> None:
    # two entry points into the cycle b <-> c: not a structured loop
    pb, p = _pb()
    p.data_field("i", "INTEGER", initial="0")
    _counter_app(p, engine)
    p.activity("a").activity("b", tool="inc", args=["i"]).activity("c").activity("end")
    p.transition("a", "b", condition="i == 0").transition("a", "c", otherwise=True)
    p.transition("b", "c")
    p.transition("c", "b", condition="i < 3").transition("c", "end", otherwise=True)
    iid = run(engine, pb)
    assert engine.trace(iid) == ["a", "b", "c", "b", "c", "b", "c", "end"]
    assert engine.instance(iid).data["i"] == 3


def test_wcp11_implicit_termination(engine: Engine) -> None:
    pb, p = _pb()
    p.route("s", gateway="Parallel").activity("b").activity("c", performer="clerk")
    p.transition("s", "b").transition("s", "c")
    iid = run(engine, pb)
    assert engine.instance(iid).state is ProcessState.RUNNING  # c still open, no end activity
    complete_all(engine, iid)
    assert engine.instance(iid).state is COMPLETED


def _mi(
    engine: Engine,
    count: str,
    flow: str,
    *,
    ordering: str = "Parallel",
    data: dict[str, Any] | None = None,
    manual: bool = True,
) -> str:
    pb, p = _pb()
    p.data_field("items", "STRING", is_array=True)
    p.activity(
        "m",
        performer="clerk" if manual else None,
        loop=multi_instance(count, ordering=ordering, flow=flow),
    )
    p.activity("after").transition("m", "after")
    return run(engine, pb, data=data)


def test_wcp12_mi_without_synchronization(engine: Engine) -> None:
    iid = _mi(engine, "3", "None")
    assert len(engine.work_items(iid)) == 3
    engine.complete_work_item(engine.work_items(iid)[0].id)
    assert engine.trace(iid) == ["m", "after"]  # the thread goes on without waiting
    complete_all(engine, iid)
    assert engine.trace(iid).count("after") == 3
    assert engine.instance(iid).state is COMPLETED


def test_wcp13_mi_with_design_time_knowledge(engine: Engine) -> None:
    iid = _mi(engine, "3", "All")
    items = engine.work_items(iid)
    assert [w.mi_index for w in items] == [0, 1, 2]
    engine.complete_work_item(items[0].id)
    engine.complete_work_item(items[1].id)
    assert "after" not in engine.trace(iid)
    engine.complete_work_item(items[2].id)
    assert engine.trace(iid) == ["m", "m", "m", "after"]
    assert engine.instance(iid).state is COMPLETED


def test_wcp14_mi_with_run_time_knowledge(engine: Engine) -> None:
    iid = _mi(engine, "len(items)", "All", data={"items": ["a", "b", "c", "d"]})
    assert len(engine.work_items(iid)) == 4
    complete_all(engine, iid)
    assert engine.trace(iid).count("after") == 1
    assert engine.instance(iid).state is COMPLETED


def test_wcp14_mi_one_lets_the_first_completion_through(engine: Engine) -> None:
    iid = _mi(engine, "3", "One")
    engine.complete_work_item(engine.work_items(iid)[2].id)
    assert engine.trace(iid) == ["m", "after"]
    complete_all(engine, iid)
    assert engine.trace(iid).count("after") == 1
    assert engine.instance(iid).state is COMPLETED


def test_wcp15_mi_without_run_time_knowledge(engine: Engine) -> None:
    # sequential MI: the count is re-evaluated after each instance, so work found while
    # processing is processed too
    iid = _mi(engine, "len(items)", "All", ordering="Sequential", data={"items": ["a"]})
    engine.complete_work_item(engine.work_items(iid)[0].id, {"items": ["a", "b"]})
    engine.complete_work_item(engine.work_items(iid)[0].id, {"items": ["a", "b", "c"]})
    assert len(engine.work_items(iid)) == 1
    engine.complete_work_item(engine.work_items(iid)[0].id)
    assert engine.trace(iid) == ["m", "m", "m", "after"]
    assert engine.instance(iid).state is COMPLETED


def test_wcp19_cancel_task(engine: Engine, clock: Any) -> None:
    from datetime import timedelta

    pb, p = _pb()
    p.activity("wait", performer="clerk", deadlines=[("PT1H", "Late", "SYNCHR")])
    p.activity("normal").activity("escalate")
    p.transition("wait", "normal").transition("wait", "escalate", exception="Late")
    iid = run(engine, pb)
    clock.advance(timedelta(minutes=59))
    assert len(engine.work_items(iid)) == 1
    clock.advance(timedelta(minutes=1))
    assert engine.work_items(iid) == []
    states = {a.activity_id: a.state for a in engine.activity_instances(iid)}
    assert states["wait"] is ActivityState.TERMINATED
    assert engine.trace(iid) == ["escalate"]
    assert engine.instance(iid).state is COMPLETED


def test_wcp20_cancel_case(engine: Engine) -> None:
    pb, p = _pb()
    p.route("s", gateway="Parallel").activity("b", performer="x").activity("c", performer="y")
    p.transition("s", "b").transition("s", "c")
    iid = run(engine, pb)
    engine.terminate(iid)
    assert engine.instance(iid).state is ProcessState.TERMINATED
    assert engine.work_items(iid) == []
    open_states = [a for a in engine.activity_instances(iid) if a.state.is_open]
    assert open_states == []


def test_wcp21_structured_loop_test_after(engine: Engine) -> None:
    pb, p = _pb()
    p.data_field("i", "INTEGER", initial="0")
    _counter_app(p, engine)
    p.activity("body", tool="inc", args=["i"], loop=standard_loop("i < 3"))
    iid = run(engine, pb)
    assert engine.trace(iid) == ["body"] * 3
    assert engine.instance(iid).data["i"] == 3


def test_wcp21_structured_loop_test_before_may_run_zero_times(engine: Engine) -> None:
    pb, p = _pb()
    p.data_field("i", "INTEGER", initial="5")
    _counter_app(p, engine)
    p.activity("body", tool="inc", args=["i"], loop=standard_loop("i < 3", test_time="Before"))
    p.activity("next").transition("body", "next")
    iid = run(engine, pb)
    assert engine.trace(iid) == ["next"]
    assert engine.instance(iid).data["i"] == 5


def test_wcp21_loop_maximum_bounds_iterations(engine: Engine) -> None:
    pb, p = _pb()
    p.data_field("i", "INTEGER", initial="0")
    _counter_app(p, engine)
    p.activity("body", tool="inc", args=["i"], loop=standard_loop("true", maximum=4))
    iid = run(engine, pb)
    assert engine.instance(iid).data["i"] == 4
    assert engine.instance(iid).state is COMPLETED


def test_wcp22_recursion(engine: Engine) -> None:
    pb, p = _pb()
    p.param("n", "INOUT", "INTEGER")
    p.application("dec", params=[("n", "INOUT", "INTEGER")])
    engine.applications.register("dec", lambda n: {"n": n - 1})
    p.route("check").activity("step", tool="dec", args=["n"])
    p.subflow("recurse", process="main", args=["n"]).activity("done")
    p.transition("check", "step", condition="n > 0").transition("check", "done", otherwise=True)
    p.transition("step", "recurse")
    iid = run(engine, pb, data={"n": 3})
    assert engine.instance(iid).state is COMPLETED
    assert engine.instance(iid).data["n"] == 0
    assert len(engine.instances(process_id="main")) == 4


def _catching(trigger: str, name: str) -> PackageBuilder:
    """start -> a catch event of ``trigger`` named ``name`` -> after."""
    from wfengine.definition.model import Activity, Event, EventPosition, XmlNode

    ns = "{http://www.wfmc.org/2008/XPDL2.1}"
    if trigger == "Message":
        named = XmlNode(tag=ns + "Message", attrs=(("Id", name), ("Name", name)))
        detail = XmlNode(tag=ns + "TriggerResultMessage", children=(named,))
    else:
        detail = XmlNode(tag=ns + "TriggerResultSignal", attrs=(("Name", name),))
    catch = Event(position=EventPosition.INTERMEDIATE, trigger=trigger, detail=(detail,))
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("start", performer="clerk")
    p.add_activity(Activity(id="catch", body=catch)).activity("after")
    p.transition("start", "catch").transition("catch", "after")
    return pb


def test_wcp23_transient_trigger(engine: Engine) -> None:
    """A signal is lost unless a catch already waits for it."""
    iid = run(engine, _catching("Signal", "go"))
    assert engine.broadcast_signal("go") == 0  # still at its first step: lost
    complete_all(engine, iid, "start")
    assert engine.instance(iid).state is ProcessState.RUNNING
    assert engine.broadcast_signal("go") == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_wcp24_persistent_trigger(engine: Engine) -> None:
    """A message is kept until a catch takes it."""
    iid = run(engine, _catching("Message", "reply"))
    assert not engine.send_message("reply", {"ok": True}, instance_id=iid)  # kept
    complete_all(engine, iid, "start")
    inst = engine.instance(iid)
    assert inst.state is ProcessState.COMPLETED and inst.data["ok"] is True


def test_wcp37_local_synchronizing_merge(engine: Engine) -> None:
    # unstructured acyclic graph: b feeds both the merge and c, which feeds the merge too
    pb, p = _pb()
    p.data_field("x", "INTEGER")
    p.activity("a", split="Inclusive").activity("b", split="Parallel")
    p.activity("c", performer="clerk").activity("m", join="Inclusive")
    p.transition("a", "b", condition="x > 0").transition("a", "m", condition="true")
    p.transition("b", "c").transition("b", "m").transition("c", "m")
    iid = run(engine, pb, data={"x": 1})
    assert "m" not in engine.trace(iid)  # c can still deliver a token
    complete_all(engine, iid)
    assert engine.trace(iid).count("m") == 1
    assert engine.instance(iid).state is COMPLETED


def test_wcp38_general_synchronizing_merge_in_a_cycle(engine: Engine) -> None:
    # the OR-join m sits in a cycle; a token on the way back round must be waited for
    pb, p = _pb()
    p.data_field("i", "INTEGER", initial="0")
    _counter_app(p, engine)
    p.activity("a", split="Parallel").activity("b", performer="clerk")
    p.activity("m", join="Inclusive").activity("inc", tool="inc", args=["i"])
    p.activity("end")
    p.transition("a", "b").transition("a", "m")
    p.transition("b", "m")
    p.transition("m", "inc")
    p.transition("inc", "m", condition="i < 2").transition("inc", "end", otherwise=True)
    iid = run(engine, pb)
    assert "m" not in engine.trace(iid)
    complete_all(engine, iid)
    trace = engine.trace(iid)
    assert trace.count("m") == 2
    assert trace[-1] == "end"
    assert engine.instance(iid).state is COMPLETED


def test_wcp43_explicit_termination(engine: Engine) -> None:
    pb, p = _pb()
    p.route("s", gateway="Parallel").activity("slow", performer="clerk")
    p.end("stop", terminate=True)
    p.transition("s", "slow").transition("s", "stop")
    iid = run(engine, pb)
    assert engine.instance(iid).state is COMPLETED
    assert engine.work_items(iid) == []
    slow = next(a for a in engine.activity_instances(iid) if a.activity_id == "slow")
    assert slow.state is ActivityState.TERMINATED


def test_or_join_and_parallel_join_in_one_loop_do_not_wait_for_each_other(
    engine: Engine,
) -> None:
    # the "vicious circle": each join lies upstream of the other through the back edge
    pb, p = _pb()
    p.data_field("i", "INTEGER", initial="0")
    _counter_app(p, engine)
    p.activity("start").route("enter").route("par", gateway="Parallel").activity("left")
    p.transition("start", "enter")
    p.route("or_split", split="Inclusive").activity("x").activity("y")
    p.route("or_join", join="Inclusive").route("and_join", join="Parallel")
    p.activity("inc", tool="inc", args=["i"]).route("test").activity("end")
    p.transition("enter", "par").transition("par", "left").transition("par", "or_split")
    p.transition("or_split", "x", condition="true").transition("or_split", "y", condition="false")
    p.transition("x", "or_join").transition("y", "or_join")
    p.transition("left", "and_join").transition("or_join", "and_join")
    p.transition("and_join", "inc").transition("inc", "test")
    p.transition("test", "enter", condition="i < 2").transition("test", "end", otherwise=True)
    iid = run(engine, pb)
    assert engine.incidents(iid) == []
    assert engine.trace(iid).count("or_join") == 2
    assert engine.instance(iid).state is COMPLETED


def test_mi_complex_flow_condition_routes_once_when_it_first_holds(engine: Engine) -> None:
    pb, p = _pb()
    p.activity(
        "m",
        performer="clerk",
        loop=multi_instance("4", flow="Complex", complex_flow_condition="completed >= 2"),
    )
    p.activity("after").transition("m", "after")
    iid = run(engine, pb)
    items = engine.work_items(iid)
    engine.complete_work_item(items[0].id)
    assert "after" not in engine.trace(iid)
    engine.complete_work_item(items[1].id)
    assert engine.trace(iid)[-1] == "after"
    complete_all(engine, iid)
    assert engine.trace(iid).count("after") == 1
    assert engine.instance(iid).state is COMPLETED
