"""A virtual clock moved from inside one of its own moves (an application a timer started
advancing the clock for the time its work takes, a subscriber advancing it) stays where that
inner move left it.

The outer move's last step set the clock to its own end: advanced 90 minutes from 09:00, with
an application at 10:00 advancing it two hours to 12:00, the clock went back to 10:30. Now a
move ends once the clock is at or past its time, and never sets the clock back.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock

START = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def test_a_subscriber_moving_the_clock_on_is_not_undone() -> None:
    clock = VirtualClock(START)
    due = START + timedelta(hours=1)
    seen: list[datetime] = []

    def subscriber() -> None:
        seen.append(clock.now())
        if clock.now() == due:
            clock.advance(timedelta(hours=2))

    clock.subscribe(subscriber, lambda after: due if after < due else None)
    assert clock.advance(timedelta(minutes=90)) == START + timedelta(hours=3)
    assert clock.now() == START + timedelta(hours=3)
    assert seen == sorted(seen)  # never backwards, at any call


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_an_application_advancing_the_clock_keeps_its_time(store: str, tmp_path: Path) -> None:
    clock = VirtualClock(START)
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=clock, db_url=url) as engine:

        def work() -> dict[str, object]:
            clock.advance(timedelta(hours=2))  # the work takes two hours
            return {}

        engine.applications.register("work", work)
        pb = PackageBuilder("pk")
        p = pb.process("p")
        p.application("work")
        p.start("s")
        p.intermediate("t1", timer="PT1H")
        p.activity("w", tool="work", args=[])
        p.intermediate("t2", timer="PT30M")
        p.end("e")
        p.sequence("s", "t1", "w", "t2", "e")
        engine.deploy(pb.build())
        iid = engine.start_process("p")
        returned = clock.advance(timedelta(minutes=90))
        assert returned == clock.now() == START + timedelta(hours=3)
        # the timer the application's command set counts from the end of the work (the
        # command's time moved on with the call: see test_sync_call_dates), not its start
        assert engine.instance(iid).state.value == "open.running"
        (timer,) = engine.timers(iid)
        assert timer.due == START + timedelta(hours=3, minutes=30)
        clock.advance(timedelta(minutes=30))
        assert engine.instance(iid).state.value == "closed.completed"
