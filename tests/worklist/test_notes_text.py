"""Comments on every store alike: text no store can hold is refused, not a driver error on
PostgreSQL only (NUL) or on the SQL stores only (a lone surrogate, as json.loads makes one)."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.worklist.notes import notes_for


def _instance(engine: Engine) -> str:
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    engine.deploy(pb.build())
    return engine.start_process("p")


@pytest.mark.parametrize("text", ["pasted from a PDF: \x00", "Zo\ud800e"], ids=["nul", "sur"])
def test_a_comment_no_store_can_hold_is_refused(org_engine: Engine, text: str) -> None:
    iid = _instance(org_engine)
    notes = notes_for(org_engine)
    with pytest.raises(ValueError, match=r"^comment: the text holds "):
        notes.add_comment("alice", iid, text)
    assert notes.comments("alice", iid) == []


def test_an_author_id_no_store_can_hold_is_refused(org_engine: Engine) -> None:
    iid = _instance(org_engine)
    with pytest.raises(ValueError, match=r"^comment: the user 'al\\x00ice' holds a NUL"):
        notes_for(org_engine).add_comment("al\x00ice", iid, "hello")


def test_notes_added_at_one_instant_list_oldest_first(org_engine: Engine) -> None:
    iid = _instance(org_engine)
    notes = notes_for(org_engine)
    for n in range(1, 12):  # the clock does not move: every note has one time
        notes.add_comment("alice", iid, f"comment {n}")
        notes.attach("alice", iid, f"page{n}.txt", "text/plain", b"x")
    assert [c.text for c in notes.comments("alice", iid)] == [f"comment {n}" for n in range(1, 12)]
    assert [a.name for a in notes.attachments("alice", iid)] == [
        f"page{n}.txt" for n in range(1, 12)
    ]
