"""``instance.created`` records the data a starter gave as the instance holds it: converted to
the fields' declared types, as ``work_item.completed`` records a person's."""

from __future__ import annotations

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine


def test_instance_created_records_the_start_data_converted_to_the_fields_types(
    engine: Engine,
) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("amount", "FLOAT")
    p.data_field("n", "INTEGER")
    p.activity("a", performer="clerk")
    iid = run(engine, pb, data={"amount": "10", "n": "3", "undeclared": "7"})
    assert engine.instance(iid).data["amount"] == 10.0 and engine.instance(iid).data["n"] == 3
    (created,) = [e for e in engine.audit(iid) if e.kind == "instance.created"]
    assert created.detail == {"version": 1, "data": {"amount": 10.0, "n": 3, "undeclared": "7"}}
    (item,) = engine.work_items(iid)
    engine.complete_work_item(item.id, {"amount": "12.5"})
    (completed,) = [e for e in engine.audit(iid) if e.kind == "work_item.completed"]
    assert completed.detail is not None and completed.detail["data"] == {"amount": 12.5}
