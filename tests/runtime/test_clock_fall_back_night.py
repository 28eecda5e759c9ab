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


def test_a_subscriber_due_in_the_repeated_hour_is_called_when_due() -> None:
    # a host's subscriber due at 02:10 winter time (in the clock's zone), the clock at 02:50
    # summer time: compared by wall clock the due time was behind the clock, so no stop was
    # made there and the subscriber was called at 03:00 instead
    clock = VirtualClock(datetime(2027, 10, 31, 2, 50, tzinfo=PARIS))  # summer time
    due = datetime(2027, 10, 31, 2, 10, fold=1, tzinfo=PARIS)  # winter time, 20 min on
    called: list[datetime] = []

    def callback() -> None:
        called.append(clock.now().astimezone(UTC))

    clock.subscribe(callback, lambda after: due if not called or called[-1] < due else None)
    clock.set(datetime(2027, 10, 31, 3, 0, tzinfo=PARIS))
    assert called[0] == datetime(2027, 10, 31, 1, 10, tzinfo=UTC)  # 02:10 winter time
    assert clock.now().tzinfo is PARIS
