"""Two date-times in a zone with summer time (``ZoneInfo`` values, as a host, an application or
a message gives a DATETIME) are ordered by instant in every language: in the hour the clocks go
back, 02:30 winter time (01:30 UTC) is after 02:45 summer time (00:45 UTC). Python orders two
datetimes of one zone on its wall clock, ignoring ``fold``: a condition took the wrong way,
``max``/``Math.max`` gave the earlier, ``sorted`` put them the wrong way round, and the two were
``==`` though 45 minutes apart. The value picked keeps its zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from wfengine.expressions import Dialect, parse

BERLIN = ZoneInfo("Europe/Berlin")
#: 02:30 winter time on 2027-10-31, the night the clocks go back: 01:30 UTC
LATER = datetime(2027, 10, 31, 2, 30, fold=1, tzinfo=BERLIN)
#: 02:45 summer time that night: 00:45 UTC, 45 minutes before LATER
EARLIER = datetime(2027, 10, 31, 2, 45, fold=0, tzinfo=BERLIN)
#: 02:30 summer time: the same wall time as LATER, an hour earlier
SAME_WALL = datetime(2027, 10, 31, 2, 30, fold=0, tzinfo=BERLIN)

_ORDERINGS = [("a < b", False), ("a <= b", False), ("a > b", True), ("a >= b", True)]


def _value(dialect: Dialect, text: str, **variables: Any) -> Any:
    return parse(text, dialect=dialect).evaluate(variables)


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize(("text", "expected"), _ORDERINGS)
def test_orderings_are_by_instant(dialect: Dialect, text: str, expected: bool) -> None:
    assert _value(dialect, text, a=LATER, b=EARLIER) is expected


@pytest.mark.parametrize("dialect", list(Dialect))
def test_the_same_wall_time_an_hour_apart_is_not_equal(dialect: Dialect) -> None:
    assert _value(dialect, "a == b", a=LATER, b=SAME_WALL) is False
    assert _value(dialect, "a != b", a=LATER, b=SAME_WALL) is True
    assert _value(dialect, "a == b", a=LATER, b=LATER.astimezone(BERLIN)) is True


@pytest.mark.parametrize("dialect", [Dialect.JAVA, Dialect.JAVASCRIPT])
def test_a_condition_in_java_and_javascript_takes_the_right_way(dialect: Dialect) -> None:
    text = "a < b ? 'a earlier' : 'a later'"
    assert _value(dialect, text, a=LATER, b=EARLIER) == "a later"


@pytest.mark.parametrize("dialect", [Dialect.JAVA, Dialect.JAVASCRIPT])
def test_math_max_gives_the_later_and_math_min_the_earlier(dialect: Dialect) -> None:
    assert _value(dialect, "Math.max(a, b)", a=EARLIER, b=LATER) is LATER
    assert _value(dialect, "Math.max(a, b)", a=LATER, b=EARLIER) is LATER
    assert _value(dialect, "Math.min(a, b)", a=LATER, b=EARLIER) is EARLIER


def test_java_compare_to_and_equals_are_by_instant() -> None:
    assert _value(Dialect.JAVA, "a.compareTo(b)", a=LATER, b=EARLIER) == 1
    assert _value(Dialect.JAVA, "a.equals(b)", a=LATER, b=SAME_WALL) is False


def test_native_max_min_and_sorted_order_by_instant() -> None:
    assert _value(Dialect.NATIVE, "max(a, b)", a=EARLIER, b=LATER) is LATER
    assert _value(Dialect.NATIVE, "min([a, b])", a=LATER, b=EARLIER) is EARLIER
    first, second = _value(Dialect.NATIVE, "sorted([a, b])", a=LATER, b=EARLIER)
    assert first is EARLIER and second is LATER
    assert _value(Dialect.NATIVE, "max([3, 1, 2])") == 3  # (numbers as before)
