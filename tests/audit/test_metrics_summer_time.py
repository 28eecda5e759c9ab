"""A clock telling the time of a zone with summer time (``Europe/Berlin``): every duration is
a length of real time and the trail is listed oldest first, on every store. Before, the
memory store kept its records' times in the clock's zone and Python subtracts and compares
two times of one zone by their wall-clock readings: across the spring change a 3-hour wait
came out 4 hours, across the autumn one a 40-minute case took -20 minutes, and an event
made after the autumn change was listed before one made earlier (SQLite, which keeps UTC,
was right)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.runtime.conftest import check_history, store_url
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.audit.metrics import process_metrics
from wfengine.runtime.audit_query import AuditQuery, key

BERLIN = ZoneInfo("Europe/Berlin")
#: 01:30 CET, half an hour before summer time starts (02:00 CET -> 03:00 CEST)
SPRING = datetime(2030, 3, 31, 0, 30, tzinfo=UTC).astimezone(BERLIN)
#: 02:45 CEST, a quarter of an hour before it ends (03:00 CEST -> 02:00 CET)
AUTUMN = datetime(2030, 10, 27, 0, 45, tzinfo=UTC).astimezone(BERLIN)


def _engine(request: pytest.FixtureRequest, tmp_path: Path, start: datetime) -> Engine:
    url = store_url(request, request.param, tmp_path)
    engine = Engine(clock=VirtualClock(start), db_url=url, directory=Organisation.from_data(ORG))
    pb = PackageBuilder("dst")
    pb.process("dst").activity("enter", performer="clerk")
    engine.deploy(pb.build())
    return engine


@pytest.fixture(params=("memory", "sqlite"))
def spring(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with _engine(request, tmp_path, SPRING) as e:
        yield e
        check_history(e)


@pytest.fixture(params=("memory", "sqlite"))
def autumn(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with _engine(request, tmp_path, AUTUMN) as e:
        yield e
        check_history(e)


def _work(engine: Engine, wait: timedelta, work: timedelta) -> str:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    iid = engine.start_process("dst")
    (item,) = engine.work_items(iid)
    clock.advance(wait)
    engine.claim_work_item(item.id, "alice")
    engine.start_work_item(item.id, "alice")
    clock.advance(work)
    engine.complete_work_item(item.id, user="alice")
    return iid


def test_durations_across_spring_change_are_real_time(spring: Engine) -> None:
    _work(spring, timedelta(hours=3), timedelta(hours=1))
    m = process_metrics(spring, "dst")
    (enter,) = m.activities
    assert enter.waiting.mean == 3 * 3600
    assert enter.processing.mean == 3600
    assert m.cycle_time.mean == 4 * 3600


def test_durations_across_autumn_change_are_real_time(autumn: Engine) -> None:
    iid = _work(autumn, timedelta(minutes=30), timedelta(minutes=10))
    m = process_metrics(autumn, "dst")
    (enter,) = m.activities
    assert (enter.waiting.mean, enter.processing.mean) == (1800, 600)
    assert m.cycle_time.mean == 2400
    # a window given in the zone selects by the instant
    since = datetime(2030, 10, 27, 1, 0, tzinfo=UTC).astimezone(BERLIN)
    later = [e.kind for e in autumn.audit_events(instance_id=iid, since=since)]
    assert "work_item.started" in later
    assert "instance.created" not in later


def test_trail_is_oldest_first_across_autumn_change(autumn: Engine) -> None:
    clock = autumn.clock
    assert isinstance(clock, VirtualClock)
    first = autumn.start_process("dst")  # 00:45 UTC, 02:45 CEST
    clock.advance(timedelta(minutes=30))
    second = autumn.start_process("dst")  # 01:15 UTC, 02:15 CET
    created = autumn.audit_events(kind="instance.created")
    assert [e.instance_id for e in created] == [first, second]
    assert [e.at.utcoffset() for e in created] == [timedelta(0)] * 2  # UTC, as SQL gives


def test_key_orders_zoned_times_by_instant() -> None:
    """An event built outside the stores, in the zone, still sorts by its instant."""

    class Event:
        def __init__(self, at: datetime, instance_id: str) -> None:
            self.at, self.instance_id, self.seq = at, instance_id, 1

    early = Event(datetime(2030, 10, 27, 0, 45, tzinfo=UTC).astimezone(BERLIN), "a")
    late = Event(datetime(2030, 10, 27, 1, 15, tzinfo=UTC).astimezone(BERLIN), "b")
    assert sorted([late, early], key=key) == [early, late]  # type: ignore[arg-type]
    assert AuditQuery(since=early.at).since == early.at.astimezone(UTC)
