"""A finished subflow returned a value the caller's field cannot take: the incident says what
the operator's answers do, since a retry starts the subflow again (people do its work again)
and skip_incident with the value writes it instead."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder


def _called(engine: Engine) -> str:
    pb = PackageBuilder("p")
    pb.participant("clerk")
    m = pb.process("main")
    m.data_field("x", "INTEGER", initial="1")
    m.data_field("out", "INTEGER")
    m.start("s")
    m.subflow("call", process="child", args=["x", "out"])
    m.activity("after", performer="clerk")
    m.end("e")
    m.sequence("s", "call", "after", "e")
    c = pb.process("child", params=[("a", "IN", "INTEGER"), ("b", "OUT", "STRING")])
    c.activity("cw", performer="clerk", writes=["b"])
    engine.deploy(pb.build())
    i = engine.start_process("main")
    (child,) = [k for k in engine.instances() if k.parent_instance_id == i]
    (item,) = engine.work_items(child.id)
    engine.complete_work_item(item.id, {"b": "n/a"})
    return i


def test_the_incident_says_a_retry_runs_the_subflow_again_and_a_skip_writes(
    engine: Engine,
) -> None:
    i = _called(engine)
    (incident,) = engine.incidents(i)
    assert "returned OUT parameter 'b' for data field 'out'" in incident.message
    assert "retrying starts the subflow again" in incident.message
    assert "skip_incident with the values writes them" in incident.message
    engine.skip_incident(incident.id, {"out": 5})  # as it says
    assert engine.instance(i).data["out"] == 5
    assert [w.activity_id for w in engine.work_items(i) if w.state.is_open] == ["after"]
