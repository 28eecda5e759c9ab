"""Values a person or a host gives are checked by the declared types of the fields they
write, as an application's answer is: converted where that loses nothing ("12.5" into a
FLOAT), refused with DataTypeError naming the field and where otherwise, and nothing changes.
An enumeration takes one of its values as written, whoever writes it. Before, a person's
"lots" into a FLOAT was stored and the process stopped later on an incident at `amount > 500`,
and an application's "purple" was stored into an enumeration of red and green."""

from __future__ import annotations

import pytest

from wfengine import DataTypeError, Engine, PackageBuilder
from wfengine.definition.model import EnumerationType


def _package() -> PackageBuilder:
    pb = PackageBuilder("p")
    pb.type_declaration("Decision", EnumerationType(values=("close", "abort")))
    pb.application("decide", params=[("decision", "OUT", "Decision")])
    p = pb.process("proc")
    p.data_field("amount", "FLOAT")
    p.data_field("count", "INTEGER")
    p.data_field("decision", "Decision")
    p.data_field("pin", "STRING", extended={"wfengine:sensitive": "true"})
    p.start("s")
    p.activity("enter", performer="clerk")
    p.activity("auto", tool="decide", args=["decision"])
    p.end("e")
    p.sequence("s", "enter", "auto", "e")
    return pb


def test_a_persons_values_are_checked_by_their_fields_types(engine: Engine) -> None:
    engine.applications.register("decide", lambda: {"decision": "close"})
    engine.deploy(_package().build())
    pi = engine.start_process("proc", {"count": "3"})  # converted: nothing lost
    assert engine.instance(pi).data["count"] == 3
    (item,) = engine.work_items(pi)
    trail = len(engine.audit(pi))

    with pytest.raises(DataTypeError, match=r"data field 'amount': expected FLOAT, got str 'lots'"):
        engine.complete_work_item(item.id, {"amount": "lots"})
    with pytest.raises(DataTypeError, match=r"'decision': expected one of 'abort', 'close'"):
        engine.complete_work_item(item.id, {"decision": "Close"})
    with pytest.raises(DataTypeError, match="not shown: sensitive") as refused:
        engine.complete_work_item(item.id, {"pin": ["1234"]})
    assert "1234" not in str(refused.value)
    assert f"work item {item.id!r}" in str(refused.value)
    assert [w.id for w in engine.work_items(pi)] == [item.id]
    assert len(engine.audit(pi)) == trail  # nothing changed

    engine.complete_work_item(item.id, {"amount": "12.5", "decision": "abort"})
    data = engine.instance(pi).data
    assert data["amount"] == 12.5 and data["decision"] == "close"  # the application's answer


def test_a_start_whose_values_do_not_fit_creates_nothing(engine: Engine) -> None:
    engine.deploy(_package().build())
    with pytest.raises(DataTypeError, match=r"of process 'proc': data field 'count'"):
        engine.start_process("proc", {"count": "three"})
    assert engine.instance_summaries() == []


def test_an_answer_outside_an_enumeration_is_an_incident(engine: Engine) -> None:
    engine.applications.register("decide", lambda: {"decision": "purple"})
    engine.deploy(_package().build())
    pi = engine.start_process("proc")
    (item,) = engine.work_items(pi)
    engine.complete_work_item(item.id)
    (incident,) = engine.incidents(pi)
    assert "expected one of 'abort', 'close', got str 'purple'" in incident.message
    assert engine.instance(pi).data["decision"] is None


def test_a_script_value_its_field_does_not_take_is_an_incident(engine: Engine) -> None:
    """A script's assignment is checked as a person's data is: "zz" into an enumeration
    stops at the script with an incident (it was stored, and a gateway over the field then
    found no way on)."""
    pb = _package()
    p = pb.process("scripted")
    p.data_field("decision", "Decision")
    p.data_field("count", "INTEGER")
    p.activity("calc", script="count = '7'; decision = 'zz'")
    engine.deploy(pb.build())
    pi = engine.start_process("scripted")
    (incident,) = engine.incidents(pi)
    assert incident.activity_id == "calc"
    assert "data field 'decision': expected one of 'abort', 'close', got str 'zz'" in (
        incident.message
    )
    assert engine.instance(pi).data["count"] is None  # nothing of the script was applied
