"""A returning subflow's ``instance.data`` event names every field the result writes, changed or
not, as ``set_data``'s names every field given: which fields a return wrote is part of the
caller's trail (a QA note read an unchanged one as noise; kept, and said in
docs/semantics.md)."""

from __future__ import annotations

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine


def test_the_return_names_each_field_it_writes_changed_or_not(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    m = pb.process("main")
    m.data_field("note", "STRING", initial="'start'").data_field("total", "INTEGER")
    m.subflow("call", process="child", args=["note", "total"])
    c = pb.process("child", params=[("n", "INOUT", "STRING"), ("t", "OUT", "INTEGER")])
    c.activity("work", performer="clerk")
    main = run(engine, pb)
    (child,) = engine.instances(process_id="child")
    (item,) = engine.work_items(child.id)
    engine.complete_work_item(item.id)
    [event] = [e for e in engine.audit(main) if e.kind == "instance.data"]
    assert event.activity_id == "call"
    assert event.detail["values"] == {"note": ["start", "start"], "total": [None, None]}
