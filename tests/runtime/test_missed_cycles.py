"""A repeating timer cycle (a non-interrupting boundary timer's or an event sub-process's)
whose firings went by while its instance was suspended (or no worker ran) fires once for them
all, and its rhythm goes on from the original schedule, as work-item reminders do: a week's
suspension of a one-minute cycle fired 9,997 times at resume and ended in a deadlock incident.
A bounded cycle's missed firings count as spent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.runtime.conftest import run
from wfengine import Engine, PackageBuilder, VirtualClock


def _nudged(cycle: str) -> PackageBuilder:
    """'work' (a person's) with a non-interrupting boundary timer of ``cycle`` whose way
    counts its firings in ``pings``."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("pings", "INTEGER", initial="0")
    p.start("s").activity("work", performer="clerk").end("e")
    p.intermediate("nudge", attached_to="work", timer=cycle, interrupting=False)
    p.activity("ping", script="pings = pings + 1").end("e2")
    p.sequence("s", "work", "e").sequence("nudge", "ping", "e2")
    return pb


def _pings(engine: Engine, iid: str) -> int:
    pings = engine.instance(iid).data["pings"]
    assert isinstance(pings, int)
    return pings


def test_a_boundary_cycle_missed_during_a_suspension_fires_once_and_keeps_its_rhythm(
    engine: Engine, clock: VirtualClock
) -> None:
    start = clock.now()
    iid = run(engine, _nudged("R/PT1M"))
    clock.advance(timedelta(minutes=3))
    assert _pings(engine, iid) == 3
    engine.suspend(iid)
    clock.advance(timedelta(days=7, seconds=30))
    engine.resume(iid)
    assert _pings(engine, iid) == 4
    assert engine.incidents(iid) == []
    [timer] = engine.timers(iid)
    assert timer.due == start + timedelta(days=7, minutes=4)  # the next minute of the rhythm
    clock.advance(timedelta(minutes=10))
    assert _pings(engine, iid) == 14


def test_a_bounded_boundary_cycle_counts_its_missed_firings_as_spent(
    engine: Engine, clock: VirtualClock
) -> None:
    start = clock.now()
    iid = run(engine, _nudged("R3/PT1H"))
    engine.suspend(iid)
    clock.advance(timedelta(hours=2, minutes=30))  # the firings of 1 h and 2 h go by
    engine.resume(iid)
    assert _pings(engine, iid) == 1
    [timer] = engine.timers(iid)
    assert timer.due == start + timedelta(hours=3)  # the third and last
    clock.advance(timedelta(hours=5))
    assert _pings(engine, iid) == 2
    assert engine.timers(iid) == []


def test_a_bounded_boundary_cycle_whose_firings_all_went_by_fires_once() -> None:
    clock = VirtualClock()
    with Engine(clock=clock) as engine:
        iid = run(engine, _nudged("R3/PT1H"))
        engine.suspend(iid)
        clock.advance(timedelta(days=1))
        engine.resume(iid)
        assert _pings(engine, iid) == 1
        assert engine.timers(iid) == []


def test_an_event_subprocess_cycle_missed_during_a_suspension_starts_it_once(
    engine: Engine, clock: VirtualClock
) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("pings", "INTEGER", initial="0")
    p.start("s").activity("work", performer="clerk").end("done")
    p.sequence("s", "work", "done")
    sub = p.activity_set("reaction", triggered_by_event=True)
    sub.start("caught", interrupting=False, timer="R/PT1H")
    sub.activity("ping", script="pings = pings + 1").end("handled")
    sub.sequence("caught", "ping", "handled")
    p.block("on_event", activity_set="reaction")
    start = clock.now()
    iid = run(engine, pb)
    engine.suspend(iid)
    clock.advance(timedelta(days=30))
    engine.resume(iid)
    assert _pings(engine, iid) == 1
    assert engine.incidents(iid) == []
    [timer] = engine.timers(iid)
    assert timer.due == start + timedelta(days=30, hours=1)
    clock.advance(timedelta(hours=2))
    assert _pings(engine, iid) == 3


class _WallClock:
    """A clock nobody subscribes to, moved by hand: time passing with no worker running."""

    def __init__(self, now: datetime) -> None:
        self.at = now

    def now(self) -> datetime:
        return self.at


def test_a_boundary_cycle_missed_while_no_worker_ran_fires_once() -> None:
    clock = _WallClock(datetime(2030, 1, 1, tzinfo=UTC))
    with Engine(clock=clock) as engine:
        iid = run(engine, _nudged("R/PT1M"))
        clock.at += timedelta(hours=5, seconds=1)
        engine.fire_due_timers()
        assert _pings(engine, iid) == 1
        [timer] = engine.timers(iid)
        assert timer.due == datetime(2030, 1, 1, 5, 1, tzinfo=UTC)
