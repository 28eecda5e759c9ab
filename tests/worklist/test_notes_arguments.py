"""What notes take as arguments, alike on every store: an attachment's content given as a
bytearray or memoryview is copied when attached (a host reusing its buffer changes nothing
stored); a comment's text, an attachment's name, content type and content are checked
before anything is stored, each error naming the argument."""

from __future__ import annotations

import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, notes_for
from wfengine.worklist.notes import Notes


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("quote", performer="clerk")
        e.deploy(pb.build())
        yield e


def _notes(engine: Engine) -> tuple[Notes, str]:
    return notes_for(engine), engine.start_process("p")


def test_a_reused_buffer_changes_no_attachment(engine: Engine) -> None:
    notes, instance_id = _notes(engine)
    buffer = bytearray(b"Dear Sir, my complaint")
    filed = notes.attach("alice", instance_id, "letter.txt", "text/plain", buffer)
    buffer[:4] = b"XXXX"  # the host reads its next upload into the same buffer
    view = memoryview(buffer)
    second = notes.attach("alice", instance_id, "next.txt", "text/plain", view)
    buffer[:4] = b"YYYY"
    assert notes.download("alice", filed.id)[1] == b"Dear Sir, my complaint"
    assert notes.download("alice", second.id)[1] == b"XXXX Sir, my complaint"


def test_a_typed_view_is_its_bytes(engine: Engine) -> None:
    notes, instance_id = _notes(engine)
    numbers = array.array("i", [1, 2, 3])
    filed = notes.attach("alice", instance_id, "n.bin", "application/octet-stream", numbers)
    assert filed.size == numbers.itemsize * 3
    assert notes.download("alice", filed.id)[1] == numbers.tobytes()


def _blob_keys(engine: Engine, notes: Notes) -> list[str]:
    """Every key in the notes' blob store (what an attach that failed would leave behind)."""
    if hasattr(notes.blobs, "_data"):
        return list(notes.blobs._data)
    import sqlalchemy as sa

    from wfengine.runtime.sql import schema as t

    query = sa.select(t.blobs.c.key)
    return engine.store.transaction(lambda conn: [r[0] for r in conn.execute(query)], write=False)


#: a value of the wrong type, as a host's mistake passes it (typed Any: the signatures say str)
_NONE: Any = None

_REFUSED: list[tuple[type[Exception], str, Callable[[Notes, str], Any]]] = [
    (TypeError, "add_comment: text", lambda n, i: n.add_comment("alice", i, _NONE)),
    (TypeError, "add_comment: text", lambda n, i: n.add_comment("alice", i, cast(Any, b"hi"))),
    (TypeError, "attach: name", lambda n, i: n.attach("alice", i, _NONE, "text/plain", b"x")),
    (TypeError, "attach: content_type", lambda n, i: n.attach("alice", i, "a", _NONE, b"x")),
    (ValueError, "attach: content_type", lambda n, i: n.attach("alice", i, "a", "a/b\n", b"x")),
    (ValueError, "at most 200", lambda n, i: n.attach("alice", i, "a", "a/" + "b" * 199, b"x")),
    (
        TypeError,
        "attach: data .*encode",
        lambda n, i: n.attach("alice", i, "a", "a/b", cast(Any, "Dear")),
    ),
    (TypeError, "attach: data", lambda n, i: n.attach("alice", i, "a", "a/b", cast(Any, 5))),
]


@pytest.mark.parametrize(("error", "message", "call"), _REFUSED)
def test_a_wrong_argument_is_refused_naming_it_and_nothing_is_stored(
    engine: Engine, error: type[Exception], message: str, call: Callable[[Notes, str], Any]
) -> None:
    notes, instance_id = _notes(engine)
    with pytest.raises(error, match=message):
        call(notes, instance_id)
    assert notes.comments(None, instance_id) == []
    assert notes.attachments(None, instance_id) == []
    assert _blob_keys(engine, notes) == []


def test_content_types_up_to_200_characters_are_taken(engine: Engine) -> None:
    notes, instance_id = _notes(engine)
    for content_type in ("text/plain; charset=" + "x" * 80, "a/" + "b" * 198):
        notes.attach("alice", instance_id, "a.txt", content_type, b"x")
    stored = [a.content_type for a in notes.attachments("alice", instance_id)]
    assert stored == ["text/plain; charset=" + "x" * 80, "a/" + "b" * 198]
