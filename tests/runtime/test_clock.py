"""The engine's clock: a virtual one moves only when told, and a clock whose time has no
timezone is refused when the engine is built, on every store alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock


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


def _waiting(process_id: str, wait: str) -> PackageBuilder:
    pb = PackageBuilder("pk_" + process_id)
    p = pb.process(process_id)
    p.start("s").intermediate("wait", timer=wait).activity("after", script="x = 1").end("e")
    p.sequence("s", "wait", "after", "e")
    return pb


def _fired(engine: Engine, instance_id: str) -> list[datetime]:
    return [ev.at for ev in engine.audit(instance_id) if ev.kind == "timer.fired"]


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_timer_set_already_due_fires_once_its_command_has_committed(
    store: str, tmp_path: Path
) -> None:
    """A zero timer "fires at once": on a virtual clock that stands still too, right after
    the command that set it, at the clock's time."""
    start = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
    clock = VirtualClock(start)
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=clock, db_url=url) as engine:
        engine.deploy(_waiting("zero", "PT0S").build())
        pi = engine.start_process("zero")
        assert _fired(engine, pi) == [start]
        assert engine.trace(pi) == ["s", "wait", "after", "e"]
        assert engine.jobs() == []


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_work_already_due_does_not_keep_a_moving_clock_from_stopping_at_later_timers(
    store: str, tmp_path: Path
) -> None:
    """Deferred work left for workers is due now and stays due while the clock moves (a
    moving clock does not run it); the timers of other instances still fire at their own
    times, not all at the end of the move."""
    start = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
    clock = VirtualClock(start)
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=clock, db_url=url) as engine:
        engine.deploy(_waiting("two_hours", "PT2H").build())
        engine.deploy(_waiting("three_hours", "PT3H").build())
        a = engine.start_process("two_hours")
        b = engine.start_process("three_hours")
        deferred = engine.start_process("two_hours", defer=True)
        assert [j.kind for j in engine.jobs(deferred)] == ["continue"]
        clock.advance(timedelta(hours=8))
        assert _fired(engine, a) == [start + timedelta(hours=2)]
        assert _fired(engine, b) == [start + timedelta(hours=3)]
        assert [j.kind for j in engine.jobs(deferred)] == ["continue"]  # still the workers'
