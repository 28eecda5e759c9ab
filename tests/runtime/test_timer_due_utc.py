"""Every timer is due at a time in UTC, on every store alike.

A ``TimeDate`` written with an offset (``2030-01-02T00:30:00+02:00``) was kept with it by the
memory store and given back in UTC by a SQL store: ``Engine.timers()`` differed, and a virtual
clock stopping at the due time then told ``now()`` and ``today()`` in +02:00 on memory
(``today()`` was 2030-01-02) and in UTC on SQLite (2030-01-01)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.runtime.conftest import run
from wfengine.definition.build_arguments import deadline
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine

PLUS_TWO = timezone(timedelta(hours=2))


def _stamped(at: str) -> PackageBuilder:
    """A timer at ``at``, then a script stamping today() and now(), then work."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("d", "STRING").data_field("t", "STRING")
    p.start("s").intermediate("t1", at=at)
    p.activity("stamp", script="d = str(today()); t = str(now())")
    p.activity("work", performer="clerk").end("e")
    p.sequence("s", "t1", "stamp", "work", "e")
    return pb


def test_a_timer_date_with_an_offset_is_due_in_utc_and_the_clock_stays_in_utc(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = run(engine, _stamped("2030-01-02T00:30:00+02:00"))  # 2030-01-01T22:30Z
    [timer] = engine.timers(iid)
    assert timer.due.isoformat() == "2030-01-01T22:30:00+00:00"
    clock.set(datetime(2030, 1, 1, 23, tzinfo=UTC))
    data = engine.instance(iid).data
    assert data["d"] == "2030-01-01"  # today() read in UTC, as on every store
    assert data["t"] == "2030-01-01 22:30:00+00:00"
    [fired] = [e.at for e in engine.audit(iid) if e.kind == "timer.fired"]
    assert fired.isoformat() == "2030-01-01T22:30:00+00:00"
    assert clock.now().utcoffset() == timedelta(0)


def test_a_deadline_whose_expression_gives_an_offset_is_due_in_utc(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("when", "DATETIME")
    p.start("s").activity("work", performer="clerk", deadlines=[deadline("when", "late")])
    p.activity("late", performer="boss").end("e").end("e2")
    p.sequence("s", "work", "e").transition("work", "late", exception="late")
    p.sequence("late", "e2")
    iid = run(engine, pb, data={"when": datetime(2030, 1, 2, 0, 30, tzinfo=PLUS_TWO)})
    [timer] = engine.timers(iid)
    assert timer.due.isoformat() == "2030-01-01T22:30:00+00:00"


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_virtual_clock_keeps_the_zone_it_started_in_when_it_stops_at_a_timer(
    store: str, tmp_path: Path
) -> None:
    """A SQL store gives due times back in UTC; the clock stopping at one goes on telling
    the time in the zone it was started in, as it does on the memory store."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("t", "STRING")
    p.start("s").intermediate("t1", timer="PT1H").activity("stamp", script="t = str(now())")
    p.activity("work", performer="clerk").end("e")
    p.sequence("s", "t1", "stamp", "work", "e")
    clock = VirtualClock(datetime(2030, 1, 1, 9, tzinfo=PLUS_TWO))
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=clock, db_url=url) as engine:
        iid = run(engine, pb)
        clock.advance(timedelta(hours=2))
        assert engine.instance(iid).data["t"] == "2030-01-01 10:00:00+02:00"
        assert clock.now().isoformat() == "2030-01-01T11:00:00+02:00"
