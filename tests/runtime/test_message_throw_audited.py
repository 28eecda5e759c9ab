"""A message throw event (an intermediate ``CatchThrow="THROW"``, an end event with a Message
result) is audited as ``event.thrown``, as a send task is: the host delivers it from there."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder


def _thrown(engine: Engine, instance_id: str) -> list[dict[str, object]]:
    return [dict(a.detail) for a in engine.audit(instance_id) if a.kind == "event.thrown"]


def test_an_intermediate_and_an_end_message_throw_are_audited(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    n = pb.process("thr")
    n.activity("a").intermediate("t", message="note", throw=True).activity("b")
    n.sequence("a", "t", "b")
    m = pb.process("msgr")
    m.activity("a").end("e", result="Message", message="done").transition("a", "e")
    engine.deploy(pb.build())
    for process, name in (("thr", "note"), ("msgr", "done")):
        i = engine.start_process(process)
        assert engine.instance(i).state.value == "closed.completed"
        assert _thrown(engine, i) == [{"trigger": "Message", "name": name, "caught_by": None}]
