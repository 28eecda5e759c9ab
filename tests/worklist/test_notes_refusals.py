"""A refused note operation is audited as ``operation.refused`` naming the work item it
concerned (the trail's ``work_item_id``), as a refused claim is; one on the instance as a
whole names none."""

from __future__ import annotations

import pytest

from wfengine import Engine, NotAuthorizedError, PackageBuilder
from wfengine.worklist.notes import notes_for


def test_refusals_on_a_work_item_name_it_in_the_trail(org_engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    org_engine.deploy(pb.build())
    iid = org_engine.start_process("p")
    wi = org_engine.work_items(iid)[0].id
    notes = notes_for(org_engine)
    mine = notes.add_comment("alice", iid, "draft", work_item_id=wi)
    filed = notes.attach("alice", iid, "a.txt", "text/plain", b"x", work_item_id=wi)
    refused = [
        lambda: notes.add_comment("dan", iid, "not mine", work_item_id=wi),
        lambda: notes.attach("dan", iid, "b.txt", "text/plain", b"y", work_item_id=wi),
        lambda: notes.comments("dan", iid, work_item_id=wi),
        lambda: notes.delete_comment("bob", mine.id),
        lambda: notes.delete_attachment("bob", filed.id),
        lambda: notes.comments("dan", iid),  # the instance's: no item to name
    ]
    for attempt in refused:
        with pytest.raises(NotAuthorizedError):
            attempt()
    trail = org_engine.audit_events(instance_id=iid, kind=["operation.refused"])
    assert [(e.detail["operation"], e.work_item_id) for e in trail] == [
        ("comment on", wi),
        ("attach to", wi),
        ("read the comments of", wi),
        ("delete", wi),
        ("delete", wi),
        ("read the comments of", None),
    ]
