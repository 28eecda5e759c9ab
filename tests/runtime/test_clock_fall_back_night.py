"""A VirtualClock in a zone with summer time moves by real time on the night the clocks go
back: two times of one zone compared by their wall clocks (Python ignores ``fold`` then), so
02:10 winter time, twenty minutes after 02:50 summer time, was refused as going backwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from wfengine import VirtualClock

PARIS = ZoneInfo("Europe/Paris")


def test_a_later_time_of_the_repeated_hour_moves_the_clock_on() -> None:
    clock = VirtualClock(datetime(2027, 10, 31, 2, 50, tzinfo=PARIS))  # summer time, +02:00
    later = datetime(2027, 10, 31, 2, 10, fold=1, tzinfo=PARIS)  # winter time, +01:00
    moved = clock.set(later)
    assert moved.astimezone(UTC) == datetime(2027, 10, 31, 1, 10, tzinfo=UTC)
    assert clock.now() - datetime(2027, 10, 31, 0, 50, tzinfo=UTC) == timedelta(minutes=20)
    assert clock.now().tzinfo is PARIS  # (it still tells the time in its own zone)


def test_an_earlier_time_of_the_repeated_hour_is_refused() -> None:
    clock = VirtualClock(datetime(2027, 10, 31, 2, 10, fold=1, tzinfo=PARIS))  # winter time
    with pytest.raises(ValueError, match="does not go backwards"):
        clock.set(datetime(2027, 10, 31, 2, 50, tzinfo=PARIS))  # summer time: earlier
