"""What notes take as arguments, alike on every store: an attachment's content given as a
bytearray or memoryview is copied when attached (a host reusing its buffer changes nothing
stored)."""

from __future__ import annotations

import array
from collections.abc import Iterator
from pathlib import Path

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
