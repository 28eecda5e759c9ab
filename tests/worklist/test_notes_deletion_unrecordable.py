"""A note whose deletion the engine cannot record stays: deleting it through a closed engine,
or from an application running inside one of the engine's commands, is refused and changes
nothing, as the error says.

The note was deleted and only then was recording the deletion refused ("...nothing was
changed"), leaving no ``comment.deleted`` / ``attachment.deleted`` in the trail. Adding a
note through a closed memory engine succeeded where a SQL store refused it; it is refused
alike now.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.worklist.conftest import ORG
from wfengine import (
    Engine,
    EngineInUseError,
    IllegalStateError,
    Organisation,
    PackageBuilder,
    notes_for,
)

DELETIONS = ["comment.deleted", "attachment.deleted"]


def test_a_closed_memory_engine_keeps_its_notes_and_takes_no_new_ones() -> None:
    engine = Engine(directory=Organisation.from_data(ORG))
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    engine.deploy(pb.build())
    instance_id = engine.start_process("p")
    notes = notes_for(engine)
    said = notes.add_comment("alice", instance_id, "mine")
    filed = notes.attach("alice", instance_id, "a.txt", "text/plain", b"x")
    engine.close()
    with pytest.raises(IllegalStateError, match=r"closed"):
        notes.delete_comment("alice", said.id)
    with pytest.raises(IllegalStateError, match=r"closed"):
        notes.delete_attachment("alice", filed.id)
    with pytest.raises(IllegalStateError, match=r"^cannot add a comment with this engine"):
        notes.add_comment("alice", instance_id, "after")
    with pytest.raises(IllegalStateError, match=r"^cannot attach a file with this engine"):
        notes.attach("alice", instance_id, "b.txt", "text/plain", b"y")
    assert [c.id for c in notes.comments(None, instance_id)] == [said.id]
    assert [a.id for a in notes.attachments(None, instance_id)] == [filed.id]
    assert notes.download(None, filed.id)[1] == b"x"
    assert engine.audit_events(instance_id=instance_id, kind=DELETIONS) == []


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_an_application_deleting_a_note_is_refused_and_the_note_stays(
    store: str, tmp_path: Path
) -> None:
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url, directory=Organisation.from_data(ORG)) as engine:
        notes = notes_for(engine)
        made: dict[str, str] = {}
        refused: list[BaseException] = []

        def tidy() -> dict[str, object]:
            for delete, note in (
                (notes.delete_comment, made["comment"]),
                (notes.delete_attachment, made["attachment"]),
            ):
                try:
                    delete("alice", note)
                except EngineInUseError as exc:
                    refused.append(exc)
            return {}

        engine.applications.register("tidy", tidy)
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.application("tidy")
        p.activity("a", performer="clerk")
        p.activity("b", tool="tidy", args=[])
        p.transition("a", "b")
        engine.deploy(pb.build())
        instance_id = engine.start_process("p")
        engine.run_due_jobs()
        (item,) = engine.work_items(instance_id)
        made["comment"] = notes.add_comment("alice", instance_id, "draft", work_item_id=item.id).id
        filed = notes.attach("alice", instance_id, "a.txt", "text/plain", b"x")
        made["attachment"] = filed.id
        engine.claim_work_item(item.id, "alice")
        engine.complete_work_item(item.id, {}, user="alice")
        engine.run_due_jobs()
        assert len(refused) == 2
        assert [c.text for c in notes.comments(None, instance_id)] == ["draft"]
        assert notes.download("alice", filed.id)[1] == b"x"
        assert engine.audit_events(instance_id=instance_id, kind=DELETIONS) == []
        notes.delete_comment("alice", made["comment"])  # outside a command: as before
        notes.delete_attachment("alice", filed.id)
        assert len(engine.audit_events(instance_id=instance_id, kind=DELETIONS)) == 2


def test_an_attachment_that_cannot_be_put_back_takes_its_content_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an application's deletion is refused (it cannot be recorded), and putting the record
    # back failed too (a locked database): the attachment was gone from every listing but its
    # content stayed in the blob store, reachable by nothing, never removed
    engine = Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}", directory=Organisation.from_data(ORG))
    notes = notes_for(engine)
    made: dict[str, str] = {}
    seen: list[BaseException] = []

    def refused(self: object, record: object) -> None:
        raise OSError("database is locked (simulated)")

    def tidy() -> dict[str, object]:
        with monkeypatch.context() as patched:
            patched.setattr(type(notes._records), "add", refused)
            try:
                notes.delete_attachment("alice", made["a"])
            except EngineInUseError as exc:
                seen.append(exc)
        return {}

    engine.applications.register("tidy", tidy)
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.application("tidy")
    p.activity("a", performer="clerk")
    p.activity("b", tool="tidy", args=[])
    p.transition("a", "b")
    engine.deploy(pb.build())
    iid = engine.start_process("p")
    (item,) = engine.work_items(iid)
    made["a"] = notes.attach("alice", iid, "payslip.pdf", "application/pdf", b"SALARY").id
    engine.claim_work_item(item.id, "alice")
    engine.complete_work_item(item.id, {}, user="alice")
    engine.run_due_jobs()
    [exc] = seen
    assert any("could not be put back" in note for note in getattr(exc, "__notes__", []))
    assert notes.attachments(None, iid) == []
    with pytest.raises(KeyError):
        notes.blobs.get(made["a"])
    engine.close()
