"""Comments and attachments: who may add, read and delete them, their limits, on every store."""

from __future__ import annotations

import pytest

from wfengine import Engine, NotAuthorizedError, PackageBuilder
from wfengine.errors import NotFoundError, StoreError
from wfengine.runtime.work_item_events import OperationRefused
from wfengine.worklist.notes import MAX_ATTACHMENT_BYTES, notes_for


def _item(engine: Engine) -> tuple[str, str]:
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    engine.deploy(pb.build())
    iid = engine.start_process("p")
    return iid, engine.work_items(iid)[0].id


def test_comments_are_read_by_those_who_see_the_work(org_engine: Engine) -> None:
    iid, wi = _item(org_engine)
    notes = notes_for(org_engine)
    first = notes.add_comment("alice", iid, "customer called twice", work_item_id=wi)
    notes.add_comment("carol", iid, "escalate if late")  # supervises the clerks
    assert [c.text for c in notes.comments("bob", iid)] == [
        "customer called twice",
        "escalate if late",
    ]
    assert [c.id for c in notes_for(org_engine).comments("bob", iid, work_item_id=wi)] == [first.id]
    with pytest.raises(NotAuthorizedError, match="'dan' may not comment on"):
        notes.add_comment("dan", iid, "not mine", work_item_id=wi)
    with pytest.raises(NotAuthorizedError):
        notes.comments("dan", iid)
    refused = [e.payload for e in org_engine.audit(iid) if isinstance(e.payload, OperationRefused)]
    assert [(r.operation, r.user) for r in refused] == [
        ("comment on", "dan"),
        ("read the comments of", "dan"),
    ]
    with pytest.raises(ValueError, match="needs some text"):
        notes.add_comment("alice", iid, "  ")


def test_only_the_author_or_an_administrator_deletes(org_engine: Engine) -> None:
    iid, wi = _item(org_engine)
    notes = notes_for(org_engine)
    mine = notes.add_comment("alice", iid, "draft", work_item_id=wi)
    theirs = notes.add_comment("bob", iid, "keep", work_item_id=wi)
    with pytest.raises(NotAuthorizedError, match="only its author"):
        notes.delete_comment("bob", mine.id)
    notes.delete_comment("alice", mine.id)
    notes.delete_comment("root", theirs.id)
    assert notes.comments("alice", iid) == []
    with pytest.raises(NotFoundError):
        notes.delete_comment("alice", mine.id)


def test_attachments_round_trip_with_their_limits(org_engine: Engine) -> None:
    iid, wi = _item(org_engine)
    notes = notes_for(org_engine)
    data = bytes(range(256)) * 40
    made = notes.attach("alice", iid, "letter.pdf", "application/pdf", data, work_item_id=wi)
    assert made.size == len(data) and len(made.sha256) == 64
    listed = notes.attachments("bob", iid)
    assert [a.name for a in listed] == ["letter.pdf"]
    got, content = notes.download("bob", made.id)
    assert content == data and got == made
    for name in ("../etc/passwd", "a/b", "", ".."):
        with pytest.raises(ValueError, match="plain file name"):
            notes.attach("alice", iid, name, "text/plain", b"x")
    with pytest.raises(ValueError, match="content type"):
        notes.attach("alice", iid, "a.txt", "text", b"x")
    with pytest.raises(ValueError, match="at most"):
        notes.attach(
            "alice", iid, "big.bin", "application/octet-stream", b"0" * (MAX_ATTACHMENT_BYTES + 1)
        )
    with pytest.raises(NotAuthorizedError):
        notes.download("dan", made.id)
    with pytest.raises(NotAuthorizedError):
        notes.delete_attachment("bob", made.id)
    notes.delete_attachment("alice", made.id)
    with pytest.raises(NotFoundError):
        notes.download("alice", made.id)


def test_a_changed_blob_is_refused_on_download(org_engine: Engine) -> None:
    iid, wi = _item(org_engine)
    notes = notes_for(org_engine)
    made = notes.attach("alice", iid, "a.txt", "text/plain", b"original", work_item_id=wi)
    notes.blobs.delete(made.blob_key)
    notes.blobs.put(made.blob_key, b"changed!")
    with pytest.raises(StoreError, match="does not match its hash"):
        notes.download("alice", made.id)
