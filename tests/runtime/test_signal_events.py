"""Intermediate signal catch events: every catch of the signal's name waiting, in every running
instance, takes a broadcast; nobody waiting: the signal is lost."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.definition.model import Activity, Event, EventPosition, XmlNode
from wfengine.runtime.history import SignalReceived

XPDL = "{http://www.wfmc.org/2008/XPDL2.1}"


def _listening(name: str = "go") -> PackageBuilder:
    trigger = XmlNode(tag=XPDL + "TriggerResultSignal", attrs=(("Name", name),))
    catch = Event(position=EventPosition.INTERMEDIATE, trigger="Signal", detail=(trigger,))
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("first", performer="clerk")
    p.add_activity(Activity(id="wait_go", body=catch)).activity("after")
    p.transition("first", "wait_go").transition("wait_go", "after")
    return pb


def test_a_broadcast_reaches_every_waiting_catch_and_only_those(engine: Engine) -> None:
    engine.deploy(_listening().build())
    one, two, early = (engine.start_process("main") for _ in range(3))
    for iid in (one, two):
        (item,) = engine.work_items(iid)
        engine.complete_work_item(item.id)
    suspended = engine.start_process("main")
    (item,) = engine.work_items(suspended)
    engine.complete_work_item(item.id)
    engine.suspend(suspended)
    assert engine.broadcast_signal("other") == 0  # nobody waits for it: lost
    assert engine.broadcast_signal("go", {"reason": "opened"}) == 2
    for iid in (one, two):
        inst = engine.instance(iid)
        assert inst.state is ProcessState.COMPLETED and inst.data["reason"] == "opened"
        received = [x.payload for x in engine.audit(iid) if x.kind == "signal.received"]
        assert received == [SignalReceived("go", ("reason",))]
    # one still at its first step and one suspended: neither waited, the signal is gone
    (item,) = engine.work_items(early)
    engine.complete_work_item(item.id)
    assert engine.instance(early).state is ProcessState.RUNNING
    engine.resume(suspended)
    assert engine.instance(suspended).state is ProcessState.RUNNING
    assert engine.broadcast_signal("go") == 2
    assert engine.instance(early).state is ProcessState.COMPLETED


def test_a_multi_instance_signal_catch_goes_on_once(engine: Engine) -> None:
    from wfengine.definition.builder import multi_instance

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").intermediate("w", signal="go", loop=multi_instance("3"))
    p.activity("after", performer="clerk").end("e")
    p.sequence("s", "w", "after", "e")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    assert engine.broadcast_signal("go") == 3  # each instance of the catch took it
    (item,) = engine.work_items(iid)  # and the flow went on once
    assert item.activity_id == "after"
    ws = [a.state.value for a in engine.activity_instances(iid) if a.activity_id == "w"]
    assert ws == ["closed.completed"] * 4


def test_a_catch_an_interrupting_event_subprocess_withdrew_is_not_counted(
    engine: Engine,
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").intermediate("wait_stop", signal="stop").end("e")
    p.sequence("s", "wait_stop", "e")
    sub = p.activity_set("on_stop_set", triggered_by_event=True)
    sub.start("caught", signal="stop").activity("handle", performer="clerk").end("he")
    sub.sequence("caught", "handle", "he")
    p.block("on_stop", activity_set="on_stop_set")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    # the event sub-process took it and withdrew the catch before its turn: one took it
    assert engine.broadcast_signal("stop") == 1
    received = [x.activity_id for x in engine.audit(iid) if x.kind == "signal.received"]
    assert received == ["on_stop"]


def test_a_signal_reaches_instances_of_older_versions(engine: Engine) -> None:
    def version(catch_id: str) -> PackageBuilder:
        pb = PackageBuilder("pkg")
        p = pb.process("main")
        p.start("s").intermediate(catch_id, signal="go").end("e")
        p.sequence("s", catch_id, "e")
        thrower = pb.process("thrower")
        thrower.start("ts").intermediate("shout", signal="go", throw=True).end("te")
        thrower.sequence("ts", "shout", "te")
        return pb

    engine.deploy(version("wait_go").build())
    old = engine.start_process("main")
    engine.deploy(version("wait_for_go").build())  # version 2 renames the catch
    new = engine.start_process("main")
    assert engine.instance_summary(old).version == 1
    assert engine.broadcast_signal("go") == 2
    for iid in (old, new):
        assert engine.instance(iid).state is ProcessState.COMPLETED
    # a signal thrown by an instance reaches an older version's catch too
    older = engine.start_process("main", version=1)
    engine.start_process("thrower")
    assert engine.instance(older).state is ProcessState.COMPLETED


def test_a_signal_is_checked_against_every_process_it_reaches_before_any_takes_it(
    engine: Engine,
) -> None:
    from wfengine import DataTypeError

    pb = PackageBuilder("pkg")
    for process_id, kind in (("loose", "STRING"), ("strict", "FLOAT")):
        p = pb.process(process_id)
        p.data_field("amount", kind)
        p.start("s").intermediate("w", signal="recount").end("e").sequence("s", "w", "e")
    engine.deploy(pb.build())
    loose, strict = engine.start_process("loose"), engine.start_process("strict")
    with pytest.raises(DataTypeError, match=r"signal 'recount' to process 'strict'"):
        engine.broadcast_signal("recount", {"amount": "lots"})
    for iid in (loose, strict):  # the signal reached no one
        inst = engine.instance(iid)
        assert inst.state is ProcessState.RUNNING and inst.data["amount"] is None
    assert engine.broadcast_signal("recount", {"amount": 2}) == 2
    assert engine.instance(strict).data["amount"] == 2.0
