"""Event-based gateways (deferred choice), link events, signal throw events and conditional
catch events (issue 11, items 1 and 3)."""

from __future__ import annotations

from datetime import timedelta

from tests.runtime.conftest import run
from wfengine import Engine, PackageBuilder, ProcessState, VirtualClock, dump_xpdl, load_xpdl


def _deferred_choice() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("answer", "STRING")
    p.activity("ask").route("gw", gateway="EventBased")
    p.intermediate("reply", message="reply").intermediate("wait", timer="P1D")
    p.activity("answered").activity("timed_out")
    p.transition("ask", "gw").transition("gw", "reply").transition("gw", "wait")
    p.transition("reply", "answered").transition("wait", "timed_out")
    return pb


def test_wcp16_deferred_choice(engine: Engine, clock: VirtualClock) -> None:
    # the first event to occur decides the way; the other catch is withdrawn
    iid = run(engine, _deferred_choice())
    assert len(engine.timers(iid)) == 1
    engine.send_message("reply", {"answer": "yes"}, instance_id=iid)
    assert engine.trace(iid) == ["ask", "gw", "reply", "answered"]
    assert engine.timers(iid) == []
    assert engine.instance(iid).state is ProcessState.COMPLETED
    states = {a.activity_id: a.state.value for a in engine.activity_instances(iid)}
    assert states["wait"] == "closed.aborted"


def test_deferred_choice_when_the_timer_wins(engine: Engine, clock: VirtualClock) -> None:
    iid = run(engine, _deferred_choice())
    clock.advance(timedelta(days=1))
    assert engine.trace(iid) == ["ask", "gw", "wait", "timed_out"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_deferred_choice_takes_the_message_that_arrived_first(engine: Engine) -> None:
    # both messages came while a person worked before the gateway: they are kept, and the
    # first to have occurred decides, whichever catch the definition lists first
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.participant("clerk")
    p.activity("ask", performer="clerk").route("gw", gateway="EventBased")
    p.intermediate("accept", message="accept").intermediate("decline", message="decline")
    p.activity("accepted").activity("declined")
    p.transition("ask", "gw").transition("gw", "accept").transition("gw", "decline")
    p.transition("accept", "accepted").transition("decline", "declined")
    iid = run(engine, pb)
    engine.send_message("decline", {}, instance_id=iid)
    engine.send_message("accept", {}, instance_id=iid)
    (item,) = engine.work_items(iid)
    engine.complete_work_item(item.id)
    assert engine.trace(iid) == ["ask", "gw", "decline", "declined"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_an_event_gateway_survives_the_xpdl_round_trip() -> None:
    from wfengine.runtime.compiler import compile_process

    package = load_xpdl(dump_xpdl(_deferred_choice().build()))
    compiled = compile_process(package, package.workflow_processes[0])
    reply = compiled.graph.activities[compiled.graph.by_id["reply"]]
    assert reply.rivals == (compiled.graph.by_id["wait"],)


def test_a_link_goes_to_the_catch_of_its_name(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").activity("a").intermediate("off", link="page2", throw=True)
    p.intermediate("on", link="page2").activity("b").end("e")
    p.transition("s", "a").transition("a", "off").transition("on", "b").transition("b", "e")
    iid = run(engine, pb)
    assert engine.trace(iid) == ["s", "a", "off", "on", "b", "e"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_link_that_does_not_say_throws_when_nothing_leaves_it(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("a").intermediate("off", link="x").intermediate("on", link="x").activity("b")
    p.transition("a", "off").transition("on", "b")
    iid = run(engine, pb)
    assert engine.trace(iid) == ["a", "off", "on", "b"]


def test_a_thrown_signal_reaches_other_instances(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    w = pb.process("waiter")
    w.intermediate("hear", signal="go").activity("went").transition("hear", "went")
    t = pb.process("thrower")
    t.activity("a").intermediate("shout", signal="go", throw=True).transition("a", "shout")
    engine.deploy(pb.build())
    waiting = [engine.start_process("waiter") for _ in range(2)]
    thrower = engine.start_process("thrower")
    assert engine.trace(thrower) == ["a", "shout"]
    for iid in waiting:
        assert engine.trace(iid) == ["hear", "went"]
        assert engine.instance(iid).state is ProcessState.COMPLETED
    [thrown] = [e for e in engine.audit(thrower) if e.kind == "event.thrown"]
    assert thrown.detail == {"trigger": "Signal", "name": "go", "caught_by": None}


def test_a_conditional_catch_waits_for_its_condition(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("stock", "INTEGER", initial="0")
    p.intermediate("restocked", condition="stock > 0").activity("ship")
    p.transition("restocked", "ship")
    iid = run(engine, pb)
    assert engine.trace(iid) == []
    engine.set_data(iid, {"stock": 5})
    assert engine.trace(iid) == ["restocked", "ship"]


def test_a_conditional_catch_that_already_holds_goes_on_at_once(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("stock", "INTEGER", initial="3")
    p.intermediate("restocked", condition="stock > 0").activity("ship")
    p.transition("restocked", "ship")
    assert engine.trace(run(engine, pb)) == ["restocked", "ship"]


def test_a_terminate_end_event_in_a_block_goes_on_after_the_block(engine: Engine) -> None:
    # the work after a block whose scope a Terminate end event ended was once lost
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    s = p.activity_set("inner")
    s.activity("a").end("stop", terminate=True).transition("a", "stop")
    p.block("region", activity_set="inner").activity("after").transition("region", "after")
    iid = run(engine, pb)
    assert engine.trace(iid) == ["a", "stop", "region", "after"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def _ordering() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("orders")
    p.data_field("item", "STRING")
    p.start("by_hand").activity("typed_in").transition("by_hand", "typed_in")
    p.start("ordered", trigger="Message", message="order").activity("from_web")
    p.transition("ordered", "from_web")
    return pb


def test_a_message_starts_an_instance_at_its_message_start_event(engine: Engine) -> None:
    engine.deploy(_ordering().build())
    iid = engine.start_by_message("order", {"item": "kettle"})
    assert engine.trace(iid) == ["ordered", "from_web"]  # not the other start event
    assert engine.instance(iid).data["item"] == "kettle"
    [received] = [e for e in engine.audit(iid) if e.kind == "message.received"]
    assert received.activity_id == "ordered"
    assert received.detail == {"message": "order", "fields": ["item"]}


def test_a_message_no_process_starts_on_is_not_found(engine: Engine) -> None:
    import pytest

    from wfengine.errors import IllegalStateError, NotFoundError

    engine.deploy(_ordering().build())
    with pytest.raises(NotFoundError, match="'refund'"):
        engine.start_by_message("refund")
    other = PackageBuilder("other")
    p = other.process("returns")
    p.start("ordered", trigger="Message", message="order").activity("x")
    p.transition("ordered", "x")
    engine.deploy(other.build())
    with pytest.raises(IllegalStateError, match="'orders', 'returns'"):
        engine.start_by_message("order")


def test_a_multi_instance_conditional_catch_goes_on_once_its_instances_do(
    engine: Engine,
) -> None:
    from wfengine.definition.builder import multi_instance

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="0")
    p.start("s").intermediate("w", condition="x > 5", loop=multi_instance("3"))
    p.activity("after", performer="clerk").end("e")
    p.sequence("s", "w", "after", "e")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    engine.set_data(iid, {"x": 10})
    (item,) = engine.work_items(iid)
    assert item.activity_id == "after"
    ws = [a.state.value for a in engine.activity_instances(iid) if a.activity_id == "w"]
    assert ws == ["closed.completed"] * 4
