"""Intermediate message catch events: the thread waits for its message; a message that
arrives before anyone waits is kept on the instance (a persistent trigger)."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from wfengine import Engine, IllegalStateError, NotFoundError, PackageBuilder, ProcessState
from wfengine.definition.model import Activity, Event, EventPosition, XmlNode
from wfengine.runtime.history import MessageKept, MessageReceived

XPDL = "{http://www.wfmc.org/2008/XPDL2.1}"


def _catch(id: str, message: str | None = None, throw: bool = False) -> Activity:
    children = (
        ()
        if message is None
        else (XmlNode(tag=XPDL + "Message", attrs=(("Id", "m1"), ("Name", message))),)
    )
    attrs = (("CatchThrow", "THROW"),) if throw else ()
    trigger = XmlNode(tag=XPDL + "TriggerResultMessage", attrs=attrs, children=children)
    body = Event(position=EventPosition.INTERMEDIATE, trigger="Message", detail=(trigger,))
    return Activity(id=id, name=f"{id} event", body=body)


def _asking() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("ask")
    p.add_activity(_catch("reply", "customer_reply"))
    p.activity("close")
    p.transition("ask", "reply").transition("reply", "close")
    return pb


def test_a_catch_waits_for_its_message(engine: Engine) -> None:
    iid = run(engine, _asking())
    assert engine.trace(iid) == ["ask"]
    assert engine.send_message("customer_reply", {"answer": "yes"}, instance_id=iid)
    inst = engine.instance(iid)
    assert inst.state is ProcessState.COMPLETED and inst.data["answer"] == "yes"
    assert engine.trace(iid) == ["ask", "reply", "close"]
    received = [x.payload for x in engine.audit(iid) if x.kind == "message.received"]
    assert received == [MessageReceived("customer_reply", ("answer",))]


def test_a_message_before_the_catch_is_kept_until_one_waits(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("work", performer="clerk")
    p.add_activity(_catch("reply", "customer_reply"))
    p.transition("work", "reply")
    iid = run(engine, pb)
    assert not engine.send_message("customer_reply", {"answer": 1}, instance_id=iid)
    # a name no catch event of the process takes (a typo) would wait for ever: refused
    with pytest.raises(NotFoundError, match=r"'customer_repyl'.*catches: customer_reply"):
        engine.send_message("customer_repyl", instance_id=iid)
    kept = [x.payload for x in engine.audit(iid) if x.kind == "message.kept"]
    assert kept == [MessageKept("customer_reply")]
    (item,) = engine.work_items(iid)
    engine.complete_work_item(item.id)
    inst = engine.instance(iid)
    assert inst.state is ProcessState.COMPLETED and inst.data["answer"] == 1


def test_a_suspended_instance_keeps_it_until_resumed(engine: Engine) -> None:
    iid = run(engine, _asking())
    engine.suspend(iid)
    assert not engine.send_message("customer_reply", {"answer": "later"}, instance_id=iid)
    assert engine.trace(iid) == ["ask"]
    engine.resume(iid)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_names_throws_and_refusals(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.add_activity(_catch("nameless"))  # no Message: caught by the event's own name
    p.add_activity(_catch("shout", "x", throw=True))  # a throw passes
    p.transition("nameless", "shout")
    iid = run(engine, pb)
    assert engine.trace(iid) == []
    assert engine.send_message("nameless event", instance_id=iid)
    assert engine.trace(iid) == ["nameless", "shout"]
    with pytest.raises(IllegalStateError, match=r"closed\.completed"):
        engine.send_message("nameless event", instance_id=iid)
    with pytest.raises(KeyError):
        engine.send_message("x", instance_id="pi-404")


def test_a_multi_instance_receive_task_takes_one_message_per_instance(engine: Engine) -> None:
    from wfengine.definition.builder import multi_instance
    from wfengine.definition.model import TaskImplementation, TaskKind

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("got", "INTEGER")
    p.start("s")
    receive = TaskImplementation(task=TaskKind.RECEIVE)
    p.add_activity(Activity(id="recv", name="vote", body=receive, loop=multi_instance("3")))
    p.activity("after", performer="clerk").end("e")
    p.sequence("s", "recv", "after", "e")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    for n in (1, 2):
        assert engine.send_message("vote", {"got": n}, instance_id=iid)
        # the activity is done when its instances are, not at the first message
        assert engine.work_items(iid) == []
    assert engine.send_message("vote", {"got": 3}, instance_id=iid)
    (item,) = engine.work_items(iid)
    done = [a for a in engine.activity_instances(iid) if a.activity_id == "recv"]
    assert [a.state.value for a in done] == ["closed.completed"] * 4  # the container and 3
    engine.complete_work_item(item.id)
    inst = engine.instance(iid)
    assert inst.state is ProcessState.COMPLETED and inst.data["got"] == 3
    received = [x for x in engine.audit(iid) if x.kind == "message.received"]
    assert len(received) == 3


def test_a_message_is_checked_by_the_declared_types_before_anything_changes(
    engine: Engine,
) -> None:
    from wfengine import DataTypeError

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("amount", "FLOAT")
    p.data_field("count", "INTEGER")
    p.start("s").intermediate("paid", message="payment").end("e").sequence("s", "paid", "e")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    events = len(engine.audit(iid))
    with pytest.raises(DataTypeError, match=r"message 'payment'.*'amount': expected FLOAT"):
        engine.send_message("payment", {"amount": "lots"}, instance_id=iid)
    assert len(engine.audit(iid)) == events  # not taken, not kept
    assert engine.instance(iid).data == {"amount": None, "count": None}
    # converted where that loses nothing, as a starter's data is
    assert engine.send_message("payment", {"amount": 5, "count": "7"}, instance_id=iid)
    inst = engine.instance(iid)
    assert inst.state is ProcessState.COMPLETED
    assert inst.data == {"amount": 5.0, "count": 7} and type(inst.data["amount"]) is float
