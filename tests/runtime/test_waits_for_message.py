"""``Engine.waits_for_message``: what would take a message sent now, by the rule delivery
uses (a catch event, an event attached to a running activity, an armed event sub-process), so
that a host (``wfengine run --script``'s ``message`` step) choosing an instance of a tree to
send to agrees with where the message is taken."""

from __future__ import annotations

from tests.runtime.conftest import run
from wfengine import Engine, PackageBuilder


def test_a_catch_event_waiting_counts_only_while_it_waits(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("first", performer="clerk").intermediate("wait", message="go").activity("last")
    p.sequence("first", "wait", "last")
    iid = run(engine, pb)
    assert not engine.waits_for_message(iid, "go")  # its catch is not reached yet
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    assert engine.waits_for_message(iid, "go")
    assert not engine.waits_for_message(iid, "other")
    engine.send_message("go", instance_id=iid)
    assert not engine.waits_for_message(iid, "go")  # closed: nothing waits


def test_an_attached_event_of_a_running_activity_waits(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("work", performer="clerk").intermediate("stop", attached_to="work", message="go")
    p.activity("handler", performer="clerk").transition("stop", "handler")
    iid = run(engine, pb)
    assert engine.waits_for_message(iid, "go")
    engine.send_message("go", instance_id=iid)
    assert [w.activity_id for w in engine.work_items(iid)] == ["handler"]
    assert not engine.waits_for_message(iid, "go")  # "work" withdrawn: its event with it


def test_an_armed_event_subprocess_waits(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").activity("work", performer="clerk").end("done")
    p.sequence("s", "work", "done")
    sub = p.activity_set("reaction", triggered_by_event=True)
    sub.start("caught", message="go").activity("handle", performer="clerk").end("handled")
    sub.sequence("caught", "handle", "handled")
    p.block("on_event", activity_set="reaction")
    iid = run(engine, pb)
    assert engine.waits_for_message(iid, "go")
    engine.send_message("go", instance_id=iid)  # interrupting: the scope is disarmed
    assert not engine.waits_for_message(iid, "go")
