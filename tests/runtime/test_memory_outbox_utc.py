"""Outbox entries' times are in UTC on every store, whatever zone the engine's clock tells.

The memory store keeps its records' times in UTC, as the SQL stores return them, but its
outbox kept the clock's zone: an entry made at 07:00 UTC by a clock in Berlin said
09:00+02:00 to ``outbox.entries()`` and to handlers on memory, 07:00 UTC on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock

BERLIN_SUMMER = datetime(2030, 7, 1, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_outbox_times_are_in_utc(store: str, tmp_path: Path) -> None:
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("answer", performer="clerk")
    clock = VirtualClock(BERLIN_SUMMER)
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=clock, db_url=url) as engine:
        engine.deploy(pb.build())
        seen: list[Any] = []
        engine.outbox.subscribe(seen.append, ["work_item.offered"])
        engine.start_process("ticket")
        pending = engine.outbox.entries()
        assert pending
        assert {r.created_at for r in pending} == {datetime(2030, 7, 1, 7, tzinfo=UTC)}
        assert {r.created_at.tzinfo for r in pending} == {UTC}
        assert {r.next_attempt_at.tzinfo for r in pending if r.next_attempt_at} == {UTC}
        clock.advance(timedelta(minutes=5))
        engine.deliver_outbox()
        assert [r.created_at.tzinfo for r in seen] == [UTC]
        settled = {r.settled_at for r in engine.outbox.entries()}
        assert settled == {datetime(2030, 7, 1, 7, 5, tzinfo=UTC)}
        assert {t.tzinfo for t in settled if t is not None} == {UTC}
