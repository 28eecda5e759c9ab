"""A virtual clock's subscriber that raises (a host's dashboard refresh) keeps neither the
other subscribers nor the move from happening.

It stopped the subscribers after it at that move, and the move itself: an engine's one-hour
timer did not fire at 1 h, the clock was left at 1 h though advanced by 2 h, and the timer
fired at the next move, recorded at that later time. Now every subscriber is called at every
stop, the clock reaches its time, and the first error is raised after.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock

START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_failing_subscriber_does_not_delay_the_engines_timer(store: str, tmp_path: Path) -> None:
    clock = VirtualClock(START)
    calls: list[datetime] = []

    def dashboard() -> None:
        calls.append(clock.now())
        raise RuntimeError("dashboard refresh failed")

    clock.subscribe(dashboard)  # before the engine's: it was called first
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=clock, db_url=url) as engine:
        pb = PackageBuilder("p")
        p = pb.process("t")
        p.intermediate("wait", timer="PT1H")
        p.activity("after", performer="clerk")
        p.sequence("wait", "after")
        engine.deploy(pb.build())
        iid = engine.start_process("t")

        with pytest.raises(RuntimeError, match="dashboard refresh failed") as raised:
            clock.advance(timedelta(hours=2))

        assert clock.now() == START + timedelta(hours=2)  # was: left at 1 h
        assert calls == [START + timedelta(hours=1), START + timedelta(hours=2)]
        assert "1 more clock subscriber call(s) failed too" in (raised.value.__notes__ or [])
        assert [w.activity_id for w in engine.work_items(iid)] == ["after"]  # was: none yet
        [fired] = [e for e in engine.audit(iid) if e.kind == "timer.fired"]
        assert fired.at == START + timedelta(hours=1)  # at its own time
