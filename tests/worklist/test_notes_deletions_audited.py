"""Deleting a comment or an attachment is in the instance's audit trail (``comment.deleted``,
``attachment.deleted``: who deleted whose note, on which work item), as a refused delete is
(``operation.refused``); the trail showed the attempt that failed, not the deletion that
happened. Neither the comment's text nor the attachment's content is in it."""

from __future__ import annotations

import pytest

from wfengine import Engine, NotAuthorizedError, PackageBuilder, notes_for


def test_deletions_are_audited_with_who_and_what(org_engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    org_engine.deploy(pb.build())
    instance_id = org_engine.start_process("p")
    (item,) = org_engine.work_items(instance_id)
    notes = notes_for(org_engine)
    said = notes.add_comment("alice", instance_id, "the customer admitted it was his fault")
    filed = notes.attach("alice", instance_id, "a.txt", "text/plain", b"x", work_item_id=item.id)
    with pytest.raises(NotAuthorizedError):
        notes.delete_comment("bob", said.id)
    notes.delete_comment("root", said.id)
    notes.delete_attachment("alice", filed.id)
    kinds = ["operation.refused", "comment.deleted", "attachment.deleted"]
    trail = org_engine.audit_events(instance_id=instance_id, kind=kinds)
    assert [(e.kind, e.user, e.work_item_id) for e in trail] == [
        ("operation.refused", "bob", None),
        ("comment.deleted", "root", None),
        ("attachment.deleted", "alice", item.id),
    ]
    assert trail[1].detail == {"comment": said.id, "user": "root", "author": "alice"}
    assert trail[2].detail == {
        "attachment": filed.id,
        "user": "alice",
        "author": "alice",
        "name": "a.txt",
        "work_item": item.id,
    }
    assert trail[2].activity_id == "quote"
    assert "fault" not in str([e.detail for e in org_engine.audit(instance_id)])
