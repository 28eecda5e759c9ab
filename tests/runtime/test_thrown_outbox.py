"""A thrown message (a message throw event, a message end event, a send task) and a thrown
signal no instance of this engine caught are told in the outbox (``event.thrown``), in the
command that audits the throw: the host learns there what it must deliver. Before, only the
audit row said so, though the README's outbox section says a host learns from the outbox
whatever it must tell the world."""

from __future__ import annotations

from typing import Any

from wfengine import Engine, PackageBuilder, load_xpdl
from wfengine.runtime.outbox import OutboxKind

_SEND_TASK = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="sp">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor/><Created/></PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="sender">
      <ProcessHeader/>
      <Activities>
        <Activity Id="send"><Implementation><Task><TaskSend>
          <Message Id="m_invoice" Name="invoice"/>
        </TaskSend></Task></Implementation></Activity>
      </Activities>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>"""


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    t = pb.process("thrower")
    t.activity("a").intermediate("note", message="note", throw=True).activity("b")
    t.sequence("a", "note", "b")
    e = pb.process("ender")
    e.activity("a").end("done", result="Message", message="done").transition("a", "done")
    s = pb.process("shouter")
    s.start("ss").intermediate("shout", signal="go", throw=True).end("se")
    s.sequence("ss", "shout", "se")
    w = pb.process("waiter")
    w.start("ws").intermediate("hear", signal="go").end("we").sequence("ws", "hear", "we")
    return pb


def _thrown(engine: Engine, instance_id: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (e.key, dict(e.payload))
        for e in engine.outbox.entries(instance_id=instance_id)
        if e.kind == OutboxKind.EVENT_THROWN
    ]


def _activity_instance(engine: Engine, instance_id: str, activity_id: str) -> str:
    [ai] = [a for a in engine.activity_instances(instance_id) if a.activity_id == activity_id]
    return ai.id


def test_a_thrown_message_is_told_in_the_outbox_with_the_audit_row(engine: Engine) -> None:
    engine.deploy(_package().build())
    for process, activity, name in (("thrower", "note", "note"), ("ender", "done", "done")):
        iid = engine.start_process(process)
        ai = _activity_instance(engine, iid, activity)
        [(key, payload)] = _thrown(engine, iid)
        assert payload == {
            "process_id": process,
            "activity_id": activity,
            "activity_instance_id": ai,
            "trigger": "Message",
            "name": name,
        }
        assert key.startswith(ai + "@") and key.endswith("/thrown")
        [audited] = [a for a in engine.audit(iid) if a.kind == "event.thrown"]
        [entry] = [e for e in engine.outbox.entries(instance_id=iid) if e.key == key]
        assert (audited.activity_instance_id, audited.at) == (ai, entry.created_at)


def test_a_send_task_s_message_is_told_too(engine: Engine) -> None:
    engine.deploy(load_xpdl(_SEND_TASK.encode()))
    iid = engine.start_process("sender")
    [(_, payload)] = _thrown(engine, iid)
    assert (payload["activity_id"], payload["trigger"], payload["name"]) == (
        "send",
        "Message",
        "invoice",
    )


def test_a_signal_nothing_here_caught_is_told_and_one_caught_is_not(engine: Engine) -> None:
    engine.deploy(_package().build())
    alone = engine.start_process("shouter")
    [(_, payload)] = _thrown(engine, alone)
    assert (payload["activity_id"], payload["trigger"], payload["name"]) == (
        "shout",
        "Signal",
        "go",
    )
    waiter = engine.start_process("waiter")
    heard = engine.start_process("shouter")
    assert engine.instance(waiter).state.value == "closed.completed"  # it took the signal
    assert _thrown(engine, heard) == []
    assert [a.kind for a in engine.audit(heard)].count("event.thrown") == 1


def test_a_handler_subscribed_to_the_kind_is_given_the_entry(engine: Engine) -> None:
    engine.deploy(_package().build())
    got: list[tuple[str, str]] = []
    engine.outbox.subscribe(
        lambda r: got.append((r.payload["trigger"], r.payload["name"])), kinds=["event.thrown"]
    )
    engine.start_process("thrower")
    engine.deliver_outbox()
    assert got == [("Message", "note")]
