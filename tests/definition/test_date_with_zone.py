"""A date with a zone (xs:date's ``2030-01-05+02:00``, as XPDL tools write a date) is that
day's midnight in that zone wherever a date-time is read: a timer's ``TimeDate``, a DATETIME
initial value or value from a program or ``--set``, ``audit --since`` / ``--until`` and a
scenario's moments, as ``ValidFrom`` / ``ValidTo`` always read it. Only ``T`` or a space
separates a date from its time.

Why: Python 3.11's ``fromisoformat`` takes any character between a date and a time, so the
``+`` of the zone was read as the separator and the offset as a time of day in UTC: a timer
``2030-01-05+02:00`` was due at 02:00Z, not at 22:00Z the day before, and ``2030-01-05x09:00Z``
was taken, with no warning from validate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import click
import pytest

from wfengine import Engine, VirtualClock, validate
from wfengine.cli.audit_cmd import parse_time
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.coercion import coerce
from wfengine.definition.iso_moments import iso_datetime
from wfengine.definition.model import BasicTypeKind
from wfengine.definition.validity import UnreadBound, read_bound
from wfengine.simulation.scenario import Scenario, ScenarioError

PLUS_TWO = timezone(timedelta(hours=2))

#: a date with a zone, and the moment it names
_DATES = [
    ("2030-01-05+02:00", datetime(2030, 1, 4, 22, tzinfo=UTC)),
    ("2030-01-05+05:30", datetime(2030, 1, 4, 18, 30, tzinfo=UTC)),
    ("2030-01-05-05:00", datetime(2030, 1, 5, 5, tzinfo=UTC)),
    ("2030-01-05Z", datetime(2030, 1, 5, tzinfo=UTC)),
    ("20300105+0200", datetime(2030, 1, 4, 22, tzinfo=UTC)),
]
#: a date and a time joined by something else than T or a space, or a date's "zone" that is
#: no zone (19 hours: a time of day was meant)
_REFUSED = ["2030-01-05x09:00:00Z", "2030-01-05_09:00Z", "2030-01-05+19:54"]


def _timer_package(at: str) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("d", "DATETIME", initial=at)
    p.start("s").intermediate("t1", at=at)
    p.activity("work", performer="clerk").end("e")
    p.sequence("s", "t1", "work", "e")
    return pb


@pytest.mark.parametrize(("text", "moment"), _DATES)
def test_a_date_with_a_zone_is_its_midnight_there(text: str, moment: datetime) -> None:
    assert iso_datetime(text) == moment
    assert coerce(text, BasicTypeKind.DATETIME) == moment  # --set, start data, outputs
    assert parse_time(click.Context(click.Command("audit")), None, text) == moment  # --since
    assert read_bound(text, end=False) == moment  # ValidFrom: one reading for all


@pytest.mark.parametrize(("text", "moment"), _DATES[:2])
def test_a_timer_date_and_an_initial_value_with_a_zone_name_its_midnight(
    text: str, moment: datetime
) -> None:
    package = _timer_package(text).build()
    assert [d for d in validate(package) if d.severity.name == "ERROR"] == []
    with Engine(clock=VirtualClock(datetime(2029, 1, 1, tzinfo=UTC))) as engine:
        engine.deploy(package)
        iid = engine.start_process("main")
        [timer] = engine.timers(iid)
        assert timer.due == moment
        assert engine.instance(iid).data["d"] == moment


def test_the_value_keeps_the_zone_of_its_date() -> None:
    assert iso_datetime("2030-01-05+02:00") == datetime(2030, 1, 5, tzinfo=PLUS_TWO)
    assert iso_datetime("2030-01-05+02:00").utcoffset() == timedelta(hours=2)
    assert iso_datetime("2030-01-05") == datetime(2030, 1, 5)  # no zone: the caller's UTC


@pytest.mark.parametrize("text", _REFUSED)
def test_a_date_joined_to_its_time_otherwise_is_refused_everywhere(text: str) -> None:
    with pytest.raises(ValueError, match=r"only T or a space|at most 14 hours"):
        iso_datetime(text)
    with pytest.raises(ValueError, match="expected DATETIME"):
        coerce(text, BasicTypeKind.DATETIME)
    with pytest.raises(click.BadParameter, match=r"only T or a space|at most 14 hours"):
        parse_time(click.Context(click.Command("audit")), None, text)
    with pytest.raises(UnreadBound):
        read_bound(text, end=False)
    errors = [d for d in validate(_timer_package(text).build()) if d.severity.name == "ERROR"]
    assert any(
        "only T or a space" in d.message or "at most 14 hours" in d.message for d in errors
    ), errors
    with pytest.raises(ScenarioError, match=r"start"):
        Scenario.from_data({"start": text, "arrivals": {"every": "PT1H"}})


def test_a_scenario_starts_at_the_midnight_of_a_date_with_a_zone() -> None:
    scenario = Scenario.from_data({"start": "2027-03-26+08:00", "arrivals": {"every": "PT1H"}})
    assert scenario.start == datetime(2027, 3, 25, 16, tzinfo=UTC)


def test_a_date_alone_still_bounds_a_whole_day_in_its_zone() -> None:
    assert read_bound("2030-12-31+02:00", end=True) == datetime(2030, 12, 31, 22, tzinfo=UTC)
    assert read_bound("2030-12-31T10:00:00+02:00", end=True) == datetime(
        2030, 12, 31, 8, tzinfo=UTC
    )


@pytest.mark.parametrize("text", ["2030-W52", "2030W52", "2030-W52+02:00"])
def test_a_week_without_its_day_bounds_nothing(text: str) -> None:
    with pytest.raises(UnreadBound, match="is a week, no date"):
        read_bound(text, end=True)  # (it was read as its Monday, then the day after)


@pytest.mark.parametrize("text", ["1800000000+60", "20301301x1"])
def test_digits_that_are_no_date_are_not_refused_as_a_joined_date(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        iso_datetime(text)
    assert "only T or a space" not in str(caught.value)  # (no date: no such hint)


def test_a_value_refused_with_a_hint_keeps_it() -> None:
    with pytest.raises(ValueError, match="for a time of day write T before it"):
        coerce("2030-01-05+19:54", BasicTypeKind.DATETIME)  # (--set, an application's output)
