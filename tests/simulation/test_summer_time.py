"""A scenario started in a zone with summer time: lengths of time are real ones.

Durations and arrival gaps used to be added on the zone's wall clock: across the night the
clocks go forward a fixed 90-minute step took 78 minutes of real time (4680 s) and two
hourly arrivals fell on one instant. Calendars' hours stay wall-clock times of the zone.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from tests.simulation.helpers import single_server

from wfengine.simulation import Scenario, simulate
from wfengine.simulation.binding import bind
from wfengine.simulation.calendar import read_calendar
from wfengine.simulation.simulator import Run

PARIS = ZoneInfo("Europe/Paris")
#: midnight before the clocks go from 02:00 to 03:00 (Sunday 28 March 2027)
NIGHT = datetime(2027, 3, 28, tzinfo=PARIS)


def _scenario(**more: object) -> Scenario:
    data = {
        "start": NIGHT,
        "arrivals": {"every": "1h"},
        "activities": {"serve": "90m"},
        "resources": {"server": 6},
        **more,
    }
    return Scenario.from_data(data, source="test.yaml")


@pytest.mark.parametrize(
    "calendar",
    [None, {"hours": ["00:00-24:00"], "holidays": [datetime(2027, 12, 25).date()]}],
    ids=["always", "a calendar open all day"],
)
def test_a_step_takes_its_duration_across_the_change(calendar: object) -> None:
    more = {} if calendar is None else {"calendar": calendar}
    report = simulate(single_server(), _scenario(**more), instances=5)
    (serve,) = report.replications[0].metrics.activities
    assert (serve.processing.mean, serve.processing.p95) == (5400.0, 5400.0)


def test_hourly_arrivals_are_an_hour_apart_in_real_time() -> None:
    outcome = Run(bind(_scenario(), single_server()), seed=1, replication=0, instances=5).run()
    created = sorted(s.created_at.astimezone(UTC) for s in outcome.engine.instance_summaries())
    gaps = {b - a for a, b in itertools.pairwise(created)}
    assert gaps == {timedelta(hours=1)}


def test_calendar_hours_are_read_on_the_zones_wall_clock() -> None:
    # 09:00-10:00 Paris on the Monday after the change is 07:00-08:00 UTC
    office = read_calendar({"hours": ["09:00-10:00"]}, "test")
    monday = datetime(2027, 3, 29, 8, 30, tzinfo=PARIS)
    assert office.next_open(monday) == datetime(2027, 3, 29, 9, tzinfo=PARIS)
    assert office.finish(datetime(2027, 3, 29, 9, 30, tzinfo=PARIS), 3600).astimezone(
        UTC
    ) == datetime(2027, 3, 30, 7, 30, tzinfo=UTC)
