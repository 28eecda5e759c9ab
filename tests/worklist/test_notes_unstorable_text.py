"""Text no store can hold given to the notes, alike on every store.

A content type whose parameters held a lone surrogate was stored on memory and failed on
SQLite as a raw ``UnicodeEncodeError``; one holding a NUL, an escape or a line separator was
stored everywhere. Each is now the ``ValueError`` any other malformed content type is. A note
id holding a lone surrogate (or a NUL) given to ``download`` or a delete failed on SQLite as a
raw ``UnicodeEncodeError`` where memory said there was no such note: a ``NotFoundError`` on
every store now.
"""

from __future__ import annotations

import pytest

from wfengine import Engine, NotFoundError, PackageBuilder, notes_for


def _instance(engine: Engine) -> str:
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    engine.deploy(pb.build())
    return engine.start_process("p")


@pytest.mark.parametrize(
    "content_type",
    ["text/plain;\x00", "text/plain; x=\ud800", "text/plain;\x1b[31mred", "text/plain;\u2028x"],
)
def test_a_content_type_that_is_not_printable_is_refused(
    org_engine: Engine, content_type: str
) -> None:
    instance_id = _instance(org_engine)
    notes = notes_for(org_engine)
    with pytest.raises(ValueError, match=r"is not a content type \(type/subtype, printable"):
        notes.attach("alice", instance_id, "a.txt", content_type, b"x")
    assert notes.attachments(None, instance_id) == []
    kept = notes.attach("alice", instance_id, "a.txt", "text/plain; charset=utf-8", b"x")
    assert kept.content_type == "text/plain; charset=utf-8"  # a well-formed one still is


@pytest.mark.parametrize("bad", ["\ud800", "\x00"])
def test_an_id_no_store_holds_names_no_note(org_engine: Engine, bad: str) -> None:
    instance_id = _instance(org_engine)
    notes = notes_for(org_engine)
    notes.add_comment("alice", instance_id, "kept")
    with pytest.raises(NotFoundError, match=r"no attachment"):
        notes.download("alice", f"at-1{bad}")
    with pytest.raises(NotFoundError, match=r"no attachment"):
        notes.delete_attachment("alice", f"at-1{bad}")
    with pytest.raises(NotFoundError, match=r"no comment"):
        notes.delete_comment("alice", f"cm-1{bad}")
    assert [c.text for c in notes.comments(None, instance_id)] == ["kept"]
