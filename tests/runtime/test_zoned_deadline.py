"""A deadline computed from a DATETIME in a zone with summer time (``d1 + timedelta(hours=24)``,
``d1`` a host's ``ZoneInfo`` value) is due 24 real hours after ``d1`` across the change, on
every store, as README says every duration is real time. It was due after 23 (Python added on
Berlin's wall clock), and a value computed so was an hour short."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.runtime.conftest import complete_all, run
from wfengine.definition.build_arguments import deadline
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine

BERLIN = ZoneInfo("Europe/Berlin")
#: 01:30 winter time on 2027-03-28, the night summer time begins in Berlin (00:30 UTC)
D1 = datetime(2027, 3, 28, 1, 30, tzinfo=BERLIN)


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("d1", "DATETIME").data_field("d2", "DATETIME").data_field("hours", "FLOAT")
    p.start("s").activity(
        "work", performer="clerk", deadlines=[deadline("d1 + timedelta(hours=24)", "late")]
    )
    p.activity(
        "sum", script="d2 = d1 + timedelta(hours=24); hours = (d2 - d1) / timedelta(hours=1)"
    )
    p.activity("late", performer="boss").end("e").end("e2")
    p.sequence("s", "work", "sum", "e").transition("work", "late", exception="late")
    p.sequence("late", "e2")
    return pb


def test_a_deadline_from_a_zoned_date_time_is_24_real_hours_across_the_change(
    engine: Engine, clock: VirtualClock
) -> None:
    clock.set(datetime(2027, 3, 28, 0, 0, tzinfo=UTC))
    iid = run(engine, _package(), data={"d1": D1})
    [timer] = engine.timers(iid)
    assert timer.due == datetime(2027, 3, 29, 0, 30, tzinfo=UTC)
    assert timer.due - D1.astimezone(UTC) == timedelta(hours=24)
    complete_all(engine, iid, "work")
    data = engine.instance(iid).data
    assert data["d2"].astimezone(UTC) == datetime(2027, 3, 29, 0, 30, tzinfo=UTC)
    assert data["d2"].utcoffset() == timedelta(hours=2)  # Berlin's summer time, zone kept
    assert data["hours"] == 24.0
