"""Notes keep their times in UTC on every store, as the engine's own records do: on the
memory store they were in the clock's zone (a clock in ``Europe/Berlin`` gave 09:00+01:00
where SQLite gave back 08:00+00:00), and two times in one zone compare by their wall-clock
readings across a summer-time change."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, notes_for


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_notes_are_stamped_in_utc(store: str, tmp_path: Path) -> None:
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    clock = VirtualClock(datetime(2024, 3, 1, 9, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    directory = Organisation.from_data(ORG)
    with Engine(clock=clock, db_url=url, directory=directory) as engine:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("quote", performer="clerk")
        engine.deploy(pb.build())
        instance_id = engine.start_process("p")
        notes = notes_for(engine)
        added = notes.add_comment("alice", instance_id, "hello")
        filed = notes.attach("alice", instance_id, "a.txt", "text/plain", b"x")
        eight = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
        for when in (
            added.created_at,
            filed.created_at,
            notes.comments(None, instance_id)[0].created_at,
            notes.attachments(None, instance_id)[0].created_at,
        ):
            assert when == eight
            assert when.utcoffset() == UTC.utcoffset(None)
        assert engine.instance(instance_id).created_at.tzinfo == added.created_at.tzinfo
