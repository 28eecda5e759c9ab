"""A refused note operation on a work item names the item's activity in the trail
(``activity_id``, ``activity_instance_id``), as a refused claim does; one on the instance
as a whole names none."""

from __future__ import annotations

import pytest

from wfengine import Engine, NotAuthorizedError, PackageBuilder
from wfengine.worklist.notes import notes_for


def test_a_refused_note_on_a_work_item_names_its_activity_as_a_refused_claim_does(
    org_engine: Engine,
) -> None:
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    org_engine.deploy(pb.build())
    iid = org_engine.start_process("p")
    [item] = org_engine.work_items(iid)
    notes = notes_for(org_engine)
    refused = [
        lambda: notes.add_comment("dan", iid, "not mine", work_item_id=item.id),
        lambda: notes.attach("dan", iid, "b.txt", "text/plain", b"y", work_item_id=item.id),
        lambda: org_engine.claim_work_item(item.id, "dan"),
        lambda: notes.comments("dan", iid),  # the instance's: no activity to name
    ]
    for attempt in refused:
        with pytest.raises(NotAuthorizedError):
            attempt()
    trail = org_engine.audit_events(instance_id=iid, kind=["operation.refused"])
    ai = item.activity_instance_id
    assert [(e.detail["operation"], e.activity_id, e.activity_instance_id) for e in trail] == [
        ("comment on", "quote", ai),
        ("attach to", "quote", ai),
        ("claim", "quote", ai),
        ("read the comments of", None, None),
    ]
