"""``Math.abs(due - now())`` (a duration) gave its length in the earlier wfengine (Python's
``abs``); after numbers-only ``Math`` it stopped with an incident ("Math.abs takes a number, not
timedelta") in Java and JavaScript, in a new version and in one stored before alike. It is
wfengine's extension again, as ``max``/``min`` of two values in time are: the duration's
length whatever its sign; a date or datetime, which has no absolute value, stays refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse
from wfengine.expressions.expression import build_expression
from wfengine.expressions.limits import Limits
from wfengine.expressions.name_spelling import composing_stored_names

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    build_expression.cache_clear()  # (a stored reading is parsed apart from a new one)
    yield
    build_expression.cache_clear()


def _read(text: str, dialect: Dialect, stored: bool) -> Any:
    if not stored:
        return parse(text, dialect=dialect)
    with composing_stored_names():
        return build_expression(text, Limits(), dialect, ())


@pytest.mark.parametrize("stored", [False, True], ids=["new", "stored"])
@pytest.mark.parametrize("dialect", [Dialect.JAVASCRIPT, Dialect.JAVA])
@pytest.mark.parametrize("hours", [-3, 3])
def test_abs_of_a_duration_is_its_length(dialect: Dialect, stored: bool, hours: int) -> None:
    due = {"due": NOW + timedelta(hours=hours)}
    expression = _read("Math.abs(due - now())", dialect, stored)
    assert expression.evaluate(due, now=lambda: NOW) == timedelta(hours=3)
    late = _read("Math.abs(due - now()) > Math.abs(now() - early)", dialect, stored)
    assert late.holds({**due, "early": NOW - timedelta(hours=1)}, now=lambda: NOW)


@pytest.mark.parametrize("stored", [False, True], ids=["new", "stored"])
@pytest.mark.parametrize("dialect", [Dialect.JAVASCRIPT, Dialect.JAVA])
@pytest.mark.parametrize("value", [NOW, date(2026, 3, 1)], ids=["datetime", "date"])
def test_abs_of_a_point_in_time_is_refused(dialect: Dialect, stored: bool, value: Any) -> None:
    expression = _read("Math.abs(due)", dialect, stored)
    with pytest.raises(ExpressionEvaluationError, match=r"Math\.abs takes a number or a duration"):
        expression.evaluate({"due": value})
