"""Listing an instance's notes shows a user those on the instance and those on the work items
they may see, as reading one item's notes does.

Anyone who may see one item of an instance listed the comments and attachments left on every
other item (``comments(user, iid)``, ``attachments(user, iid)``, ``detailed_status(user=)``),
text and file names included, though reading that item's notes was refused to them.
"""

from __future__ import annotations

import pytest

from wfengine import Engine, NotAuthorizedError, PackageBuilder, detailed_status, notes_for


def _two_items(engine: Engine) -> tuple[str, str, str]:
    """An instance with alice's item (a, sales) and dan's (b, accounts), side by side."""
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.route("split", gateway="Parallel")
    p.activity("a", performer="alice")
    p.activity("b", performer="dan")
    p.transition("split", "a")
    p.transition("split", "b")
    engine.deploy(pb.build())
    instance_id = engine.start_process("p")
    engine.run_due_jobs()
    items = {w.activity_id: w.id for w in engine.work_items(instance_id)}
    return instance_id, items["a"], items["b"]


def test_an_instance_listing_leaves_out_the_items_the_reader_may_not_see(
    org_engine: Engine,
) -> None:
    instance_id, a, b = _two_items(org_engine)
    notes = notes_for(org_engine)
    notes.add_comment("alice", instance_id, "for everyone")
    notes.add_comment("alice", instance_id, "on a", work_item_id=a)
    notes.add_comment("dan", instance_id, "dan's remark on b", work_item_id=b)
    notes.attach("dan", instance_id, "salary.pdf", "application/pdf", b"x", work_item_id=b)
    notes.attach("alice", instance_id, "letter.txt", "text/plain", b"y", work_item_id=a)

    def texts(user: str | None) -> list[str]:
        return [c.text for c in notes.comments(user, instance_id)]

    def names(user: str | None) -> list[str]:
        return [f.name for f in notes.attachments(user, instance_id)]

    assert texts("alice") == ["for everyone", "on a"]
    assert names("alice") == ["letter.txt"]
    assert texts("carol") == ["for everyone", "on a"]  # supervises alice, not dan
    assert texts("dan") == ["for everyone", "dan's remark on b"]
    assert names("dan") == ["salary.pdf"]
    everything = ["for everyone", "on a", "dan's remark on b"]
    assert texts("root") == texts(None) == everything  # an administrator, the host
    assert names(None) == ["salary.pdf", "letter.txt"]
    # one item's notes: as before, refused to one who may not see it
    with pytest.raises(NotAuthorizedError):
        notes.comments("alice", instance_id, work_item_id=b)
    assert [c.text for c in notes.comments("dan", instance_id, work_item_id=b)] == everything[2:]


def test_a_users_status_lists_the_notes_they_may_read(org_engine: Engine) -> None:
    instance_id, a, b = _two_items(org_engine)
    notes = notes_for(org_engine)
    notes.add_comment("alice", instance_id, "on a", work_item_id=a)
    notes.add_comment("dan", instance_id, "dan's remark on b", work_item_id=b)
    notes.attach("dan", instance_id, "salary.pdf", "application/pdf", b"x", work_item_id=b)
    status = detailed_status(org_engine, instance_id, user="alice")
    assert [c.text for c in status.comments] == ["on a"]
    assert status.attachments == ()
    assert len(detailed_status(org_engine, instance_id).comments) == 2  # the host's: all
