"""A date-time in a zone with summer time (a ``ZoneInfo`` value, as a host, an application or
a message gives a DATETIME) plus or minus a duration is that much real time later or earlier,
and two such date-times are the real time apart, in every language, as README says every
duration is. Python adds on the zone's wall clock: across 2027-03-28 in Berlin ``d +
timedelta(hours=24)`` was 23 real hours later, and ``d2 - d1`` said 24 hours where 23 passed.
The result keeps the operand's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from wfengine.expressions import Dialect, parse

BERLIN = ZoneInfo("Europe/Berlin")
DAY = timedelta(hours=24)
#: 01:30 winter time on the night summer time begins (00:30 UTC)
BEFORE = datetime(2027, 3, 28, 1, 30, tzinfo=BERLIN)
#: 24 real hours later: 02:30 summer time the next night
AFTER = datetime(2027, 3, 29, 2, 30, tzinfo=BERLIN)


def _value(dialect: Dialect, text: str, **variables: Any) -> Any:
    return parse(text, dialect=dialect).evaluate(variables)


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize("text", ["d + day", "day + d"])
def test_a_duration_added_is_real_time_and_the_zone_is_kept(dialect: Dialect, text: str) -> None:
    found = _value(dialect, text, d=BEFORE, day=DAY)
    assert found.astimezone(UTC) - BEFORE.astimezone(UTC) == DAY
    assert found == AFTER and found.tzinfo is BERLIN


@pytest.mark.parametrize("dialect", list(Dialect))
def test_a_duration_subtracted_is_real_time(dialect: Dialect) -> None:
    found = _value(dialect, "d - day", d=AFTER, day=DAY)
    assert found.astimezone(UTC) == BEFORE.astimezone(UTC)
    assert found.tzinfo is BERLIN


@pytest.mark.parametrize("dialect", list(Dialect))
def test_two_date_times_are_the_real_time_apart(dialect: Dialect) -> None:
    later = datetime(2027, 3, 29, 1, 30, tzinfo=BERLIN)  # the same wall time: 23 hours on
    assert _value(dialect, "b - a", a=BEFORE, b=later) == timedelta(hours=23)
    assert _value(dialect, "b - a", a=BEFORE, b=AFTER) == DAY


def test_the_native_timedelta_of_a_deadline_is_real_time() -> None:
    assert _value(Dialect.NATIVE, "d + timedelta(hours=24)", d=BEFORE) == AFTER


def test_fixed_offsets_and_utc_compute_as_before() -> None:
    plus_one = datetime(2027, 3, 28, 1, 30, tzinfo=timezone(timedelta(hours=1)))
    found = _value(Dialect.NATIVE, "d + day", d=plus_one, day=DAY)
    assert found == datetime(2027, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=1)))
    assert found.tzinfo == timezone(timedelta(hours=1))
    assert _value(Dialect.NATIVE, "d - day", d=datetime(2030, 1, 2, tzinfo=UTC), day=DAY) == (
        datetime(2030, 1, 1, tzinfo=UTC)
    )
