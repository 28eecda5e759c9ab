"""A new work item is made with its fields given by position (:meth:`Work._new_item`: keywords
cost a third of a microsecond per item): the order it gives them in is WorkItem's own, and an
offered item, a multi-instance one too, has each field from where it belongs."""

from __future__ import annotations

import dataclasses

from wfengine import Engine, PackageBuilder
from wfengine.runtime.instance import WorkItem
from wfengine.runtime.states import WorkItemState


def test_the_fields_new_item_gives_by_position_are_work_items_first_ten() -> None:
    assert [f.name for f in dataclasses.fields(WorkItem)][:10] == [
        "id",
        "instance_id",
        "activity_instance_id",
        "activity_id",
        "performers",
        "assignees",
        "state",
        "created_at",
        "completed_at",
        "mi_index",
    ]


def test_an_offered_item_has_each_field_from_its_place() -> None:
    engine = Engine()
    pb = PackageBuilder("fields")
    pb.process("p").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    iid = engine.start_process("p")
    (item,) = engine.work_items(iid)
    (ai,) = [a for a in engine.activity_instances(iid) if a.activity_id == "answer"]
    assert item.id.startswith("wi") and item.instance_id == iid
    assert (item.activity_instance_id, item.activity_id) == (ai.id, "answer")
    assert (item.performers, item.assignees) == (("clerk",), ("clerk",))
    assert item.state is WorkItemState.OFFERED and item.created_at == ai.started_at
    assert (item.completed_at, item.mi_index, item.holder, item.owner) == (None,) * 4
    assert item.started_at is None and ai.work_item_id == item.id
