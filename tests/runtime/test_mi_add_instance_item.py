"""What ``add_mi_instance``'s ``data`` does (its docstring, docs/semantics.md): it is written
into the instance data every instance shares, not into the new instance alone; a list field
read at the loop counter gives each instance its own item. The docstring said the data was
"the new instance's item, say", and a QA pass found every work item then showing the last
value."""

from __future__ import annotations

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.runtime.engine import Engine


def _items(engine: Engine, iid: str, field: str) -> list[object]:
    shown = []
    for w in sorted(engine.work_items(iid), key=lambda w: w.mi_index or 0):
        values = engine.work_item_data(w.id).values
        shown.append(values[field] if field != "items" else values["items"][values["i"]])
    return shown


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("item", "STRING", initial="'first'")
    p.data_field("items", "STRING", is_array=True, initial="['first']")
    p.data_field("i", "INTEGER", initial="0")
    p.activity("work", performer="clerk", loop=multi_instance("1", counter="i"))
    return pb


def _container(engine: Engine, iid: str) -> str:
    [container] = [
        a.id
        for a in engine.activity_instances(iid)
        if a.activity_id == "work" and a.mi_index is None
    ]
    return container


def test_the_added_data_is_shared_by_every_instance(engine: Engine) -> None:
    iid = run(engine, _package())
    engine.add_mi_instance(_container(engine, iid), {"item": "x"})
    engine.add_mi_instance(_container(engine, iid), {"item": "y"})
    assert _items(engine, iid, "item") == ["y", "y", "y"]


def test_a_list_read_at_the_loop_counter_gives_each_instance_its_item(engine: Engine) -> None:
    iid = run(engine, _package())
    for new in ("x", "y"):
        items = engine.instance(iid).data["items"]
        engine.add_mi_instance(_container(engine, iid), {"items": [*items, new]})
    assert _items(engine, iid, "items") == ["first", "x", "y"]
