"""A virtual clock moved with a wrong argument says what it takes, as its constructor does.

``set`` with a naive datetime or a text, and ``advance`` with a number of seconds, raised a
bare TypeError from a comparison ("can't compare offset-naive and offset-aware
datetimes")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wfengine.runtime.clock import VirtualClock

START = datetime(2030, 1, 1, tzinfo=UTC)


def test_set_refuses_a_naive_datetime_saying_it_needs_an_aware_one() -> None:
    clock = VirtualClock(START)
    with pytest.raises(ValueError, match=r"VirtualClock\.set needs a timezone-aware datetime"):
        clock.set(datetime(2031, 1, 1))
    assert clock.now() == START


def test_set_refuses_a_text_saying_it_takes_a_datetime() -> None:
    clock = VirtualClock(START)
    with pytest.raises(TypeError, match=r"VirtualClock.set takes a datetime, not '2031-01-01'"):
        clock.set("2031-01-01")  # type: ignore[arg-type]


def test_advance_refuses_a_number_saying_it_takes_a_timedelta() -> None:
    clock = VirtualClock(START)
    with pytest.raises(TypeError, match=r"VirtualClock\.advance takes a timedelta, not 30"):
        clock.advance(30)  # type: ignore[arg-type]
    assert clock.advance(timedelta(seconds=30)) == START + timedelta(seconds=30)


def test_the_constructor_refuses_a_text() -> None:
    with pytest.raises(TypeError, match="VirtualClock takes a datetime"):
        VirtualClock("2030-01-01")  # type: ignore[arg-type]
