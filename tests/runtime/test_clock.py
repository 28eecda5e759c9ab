"""The engine's clock: a virtual one moves only when told, and a clock whose time has no
timezone is refused when the engine is built, on every store alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from wfengine import Engine, VirtualClock


class _NaiveClock:
    def now(self) -> datetime:
        return datetime(2026, 1, 5, 9, 0)  # no timezone


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_clock_without_a_timezone_is_refused_on_every_store(store: str, tmp_path: Path) -> None:
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with pytest.raises(ValueError, match="timezone-aware datetime"):
        Engine(clock=_NaiveClock(), db_url=url)  # type: ignore[arg-type]
    assert not (tmp_path / "wf.db").exists()  # refused before anything was made


def test_a_virtual_clock_needs_an_aware_start_and_never_goes_back() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        VirtualClock(datetime(2026, 1, 1))
    clock = VirtualClock(datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(timedelta(seconds=-1))
    with Engine(clock=clock) as e:
        assert e.clock.now() == datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_virtual_clock_stops_at_each_due_time_on_its_way(store: str, tmp_path: Path) -> None:
    """Advancing 3 h past two chained one-hour timers fires each at its own time (the
    second is set by the first and falls due within the same move)."""
    from wfengine import PackageBuilder

    pb = PackageBuilder("pk")
    p = pb.process("p")
    p.start("s")
    p.intermediate("t1", timer="PT1H")
    p.intermediate("t2", timer="PT1H")
    p.end("e")
    p.sequence("s", "t1", "t2", "e")
    start = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
    clock = VirtualClock(start)
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=clock, db_url=url) as engine:
        engine.deploy(pb.build())
        pi = engine.start_process("p")
        assert clock.advance(timedelta(hours=3)) == start + timedelta(hours=3)
        fired = [(ev.activity_id, ev.at) for ev in engine.audit(pi) if ev.kind == "timer.fired"]
        assert fired == [
            ("t1", start + timedelta(hours=1)),
            ("t2", start + timedelta(hours=2)),
        ]
        assert engine.instance(pi).state.value == "closed.completed"
