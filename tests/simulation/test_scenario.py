"""Reading scenarios: each distribution, arrivals, calendars, and errors that name the key."""

from __future__ import annotations

import random
import statistics
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from wfengine.simulation import Scenario, ScenarioError
from wfengine.simulation.calendar import ALWAYS, read_calendar
from wfengine.simulation.distributions import duration, seconds_of, value


def _mean(spec: object, n: int = 20_000) -> float:
    d = duration(spec, "x")
    rng = random.Random(1)
    return statistics.fmean(d.sample(rng) for _ in range(n))


@pytest.mark.parametrize(
    ("spec", "mean"),
    [
        ("10m", 600.0),
        (90, 90.0),
        ("PT1H", 3600.0),
        ({"fixed": "2h"}, 7200.0),
        ({"exponential": "10m"}, 600.0),
        ({"normal": {"mean": "10m", "sd": "1m"}}, 600.0),
        ({"lognormal": {"mean": "10m", "sd": "5m"}}, 600.0),
        ({"triangular": {"min": "5m", "mode": "10m", "max": "30m"}}, 900.0),
        ({"triangular": ["5m", "10m", "30m"]}, 900.0),
        ({"uniform": ["5m", "15m"]}, 600.0),
        ({"empirical": ["4m", "6m", "8m"]}, 360.0),
    ],
)
def test_durations_sample_around_their_mean(spec: object, mean: float) -> None:
    assert duration(spec, "x").mean == pytest.approx(mean)
    assert _mean(spec) == pytest.approx(mean, rel=0.03)


def test_empirical_durations_from_a_trail() -> None:
    d = duration({"empirical": "trail"}, "x", lambda: [60.0, 120.0])
    assert d.mean == 90.0
    assert {d.sample(random.Random(n)) for n in range(20)} == {60.0, 120.0}
    with pytest.raises(ScenarioError, match="'trail' needs the scenario's trail"):
        duration({"empirical": "trail"}, "x")
    with pytest.raises(ScenarioError, match="no completed instance"):
        duration({"empirical": "trail"}, "x", lambda: [])


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"expo": "1m"}, r"a\.b: unknown distribution 'expo'"),
        ({"fixed": "1m", "exponential": "2m"}, r"a\.b: give one distribution"),
        ({"normal": {"mean": "1m"}}, r"a\.b\.normal: expects mean, sd; missing sd"),
        ({"triangular": ["9m", "1m", "5m"]}, r"needs min <= mode <= max"),
        ("soon", r"a\.b: 'soon' is not a duration"),
        (-5, r"a duration is not negative"),
        (True, r"True is not a duration"),
        ({"empirical": []}, r"expects a list of durations or 'trail'"),
    ],
)
def test_bad_durations_name_the_key(spec: object, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        duration(spec, "a.b")


def test_data_values() -> None:
    rng = random.Random(3)
    assert value("web", "d")(rng) == "web"
    assert value({"x": 1, "y": 2}, "d")(rng) == {"x": 1, "y": 2}  # a mapping constant
    assert 10 <= value({"uniform": [10, 20]}, "d")(rng) <= 20
    assert value({"randint": [1, 3]}, "d")(rng) in (1, 2, 3)
    draws = [value({"bernoulli": 0.2}, "d")(rng) for _ in range(5000)]
    assert sum(draws) / 5000 == pytest.approx(0.2, abs=0.03)
    picks = [value({"choice": {"a": 1, "b": 3}}, "d")(rng) for _ in range(4000)]
    assert picks.count("b") / 4000 == pytest.approx(0.75, abs=0.03)
    assert value({"choice": ["only"]}, "d")(rng) == "only"
    with pytest.raises(ScenarioError, match=r"d\.bernoulli: a probability is between 0 and 1"):
        value({"bernoulli": 2}, "d")
    with pytest.raises(ScenarioError, match=r"d\.choice: the weights add up to zero"):
        value({"choice": {"a": 0}}, "d")
    with pytest.raises(ScenarioError, match=r"d\.randint: 1\.5 is not a whole number"):
        value({"randint": [1.5, 3]}, "d")


def test_seconds_of() -> None:
    assert seconds_of("1h 30min", "x") == 5400.0
    assert seconds_of(2.5, "x") == 2.5


def test_calendar_opening_hours_and_work_across_nights_and_weekends() -> None:
    cal = read_calendar(
        {"days": ["mon", "tue", "wed", "thu", "fri"], "hours": ["09:00-12:00", "13:00-18:00"]},
        "c",
    )
    friday = datetime(2027, 1, 8, tzinfo=UTC)
    assert cal.is_open(friday.replace(hour=10))
    assert not cal.is_open(friday.replace(hour=12, minute=30))
    assert not cal.is_open(friday.replace(hour=18))
    assert cal.next_open(friday.replace(hour=12, minute=30)) == friday.replace(hour=13)
    monday = datetime(2027, 1, 11, 9, tzinfo=UTC)
    assert cal.next_open(friday.replace(hour=19)) == monday
    # 30 minutes begun at 17:50 on Friday: 10 then, 20 on Monday
    assert cal.finish(friday.replace(hour=17, minute=50), 1800) == monday + timedelta(minutes=20)
    # 4 hours from Friday 10:00: 2 before noon, 2 after lunch
    assert cal.finish(friday.replace(hour=10), 4 * 3600) == friday.replace(hour=15)
    # Friday's eight hours and Monday's first
    assert cal.open_seconds(friday, monday + timedelta(hours=1)) == 9 * 3600
    assert not cal.always and ALWAYS.always
    holiday = read_calendar({"hours": "09:00-17:00", "holidays": ["2027-01-11"]}, "c")
    assert holiday.next_open(datetime(2027, 1, 10, 18, tzinfo=UTC)) == datetime(
        2027, 1, 12, 9, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"days": ["funday"]}, r"c\.days: 'funday' is not a weekday"),
        ({"hours": ["9-5"]}, r"c\.hours: '9-5' is not a span"),
        ({"hours": ["18:00-09:00"]}, r"not a span within one day"),
        ({"hours": ["09:00-13:00", "12:00-18:00"]}, r"c\.hours: the spans overlap"),
        ({"open": "always"}, r"c: unknown key 'open'"),
        ({"holidays": ["someday"]}, r"c\.holidays: 'someday' is not a date"),
    ],
)
def test_bad_calendars_name_the_key(spec: dict[str, object], message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        read_calendar(spec, "c")


def test_arrivals() -> None:
    start = datetime(2027, 1, 4, tzinfo=UTC)
    poisson = Scenario.from_data({"arrivals": {"poisson": "6/min"}}).arrivals
    moments = list(poisson.moments(random.Random(1), start, 6000))
    gaps = [(b - a).total_seconds() for a, b in zip([start, *moments], moments, strict=False)]
    assert statistics.fmean(gaps) == pytest.approx(10.0, rel=0.05)
    every = Scenario.from_data({"arrivals": {"every": "15m"}}).arrivals
    assert list(every.moments(random.Random(1), start, 3)) == [
        start,
        start + timedelta(minutes=15),
        start + timedelta(minutes=30),
    ]
    office = Scenario.from_data(
        {"arrivals": {"every": "4h", "calendar": {"hours": ["09:00-17:00"]}}}
    ).arrivals
    assert [m.hour for m in office.moments(random.Random(1), start, 4)] == [9, 13, 9, 13]
    rate = Scenario.from_data({"arrivals": {"poisson": {"rate": 48, "per": "day"}}}).arrivals
    assert rate.rate == pytest.approx(48 / 86400)


def test_arrivals_from_a_trace_file(tmp_path: Path) -> None:
    (tmp_path / "arrivals.txt").write_text(
        "# when\n2027-01-04T10:00:00Z\n2027-01-04T09:00:00+00:00,extra\n\n", encoding="utf-8"
    )
    (tmp_path / "s.yaml").write_text("arrivals: {trace: arrivals.txt}\n", encoding="utf-8")
    scn = Scenario.load(tmp_path / "s.yaml")
    assert [m.hour for m in scn.arrivals.moments(None, scn.start, 10)] == [9, 10]
    (tmp_path / "bad.yaml").write_text("arrivals: {trace: missing.txt}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"arrivals\.trace: cannot read .*missing\.txt"):
        Scenario.load(tmp_path / "bad.yaml")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"arivals": {}}, r"s\.yaml: unknown key 'arivals'"),
        ({"arrivals": {}}, r"arrivals: give one of poisson, every, at, trace"),
        ({"arrivals": {"poisson": "6"}}, r"arrivals\.poisson: '6' is not a rate"),
        ({"arrivals": {"poisson": "6/week"}}, r"unknown unit 'week'"),
        ({"arrivals": {"every": "1m", "at": []}}, r"give one of poisson"),
        ({"arrivals": {"every": "1m"}, "policy": "lifo"}, r"policy: 'lifo' is not one of"),
        ({"arrivals": {"every": "1m"}, "instances": -1}, r"instances: a whole number"),
        ({"arrivals": {"every": "1m"}, "resources": {"x": 0}}, r"resources\.x: a count"),
        ({"arrivals": {"every": "1m"}, "calendar": "office"}, r"unknown calendar 'office'"),
        ({"arrivals": {"every": "1m"}, "start": "monday"}, r"start: 'monday' is not a moment"),
        (
            {"arrivals": {"every": "1m"}, "start": "2030-12-31T24:00:00Z"},
            r"start: .* an hour of 24 is not read \(write the next day's 00:00\)",
        ),
        ({"arrivals": {"every": "1m"}, "branches": {"a": {"b": -1}}}, r"not negative"),
        ({"arrivals": {"every": "1m"}, "branches": {"a": {}}}, r"branches\.a: give each way"),
        ([], r"s\.yaml: a scenario is a mapping"),
        # given moments arrive as given: a calendar was ignored, an early one moved to start
        (
            {
                "arrivals": {"at": ["2027-01-10T03:00:00Z"], "calendar": "office"},
                "calendars": {"office": {"days": ["mon"], "hours": ["09:00-17:00"]}},
            },
            r"arrivals\.calendar: shapes generated arrivals .* given by at arrive as given",
        ),
        (
            {"arrivals": {"at": ["2027-01-05T00:00:00Z", "2026-01-04T10:00:00Z"]}},
            r"arrivals\.at\[1\]: 2026-01-04T10:00:00\+00:00 is before the scenario's start",
        ),
    ],
)
def test_bad_scenarios_name_the_key(data: object, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        Scenario.from_data(data, source="s.yaml")


def test_a_file_that_is_not_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("arrivals:\n  every: [1m\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"s\.yaml:\d+: not YAML"):
        Scenario.load(path)
    with pytest.raises(ScenarioError, match="cannot read the scenario"):
        Scenario.load(tmp_path / "nothing.yaml")
