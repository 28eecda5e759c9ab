"""``due < today()`` with ``due`` a DATETIME field: Python cannot order a datetime against a
date, and the Java/JavaScript message said "'<' compares two numbers, two texts or two dates,
not datetime and date", though to the modeller both are dates. It now says a date-time cannot
be ordered against a date and what to compare with (the language has no function taking the
date part of a date-time)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse

C_LIKE = (Dialect.JAVASCRIPT, Dialect.JAVA)
DATA = {"due": datetime(2020, 1, 1, tzinfo=UTC), "day": date(2020, 1, 1)}


@pytest.mark.parametrize("dialect", C_LIKE)
@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("due < today()", "a date-time against a date"),
        ("day >= now()", "a date against a date-time"),
        ("due > day", "a date-time against a date"),
    ],
)
def test_a_date_time_against_a_date_says_what_to_compare(
    dialect: Dialect, text: str, order: str
) -> None:
    with pytest.raises(ExpressionEvaluationError) as raised:
        parse(text, dialect=dialect).evaluate(DATA)
    message = str(raised.value)
    assert f"cannot order {order}" in message
    assert "DATETIME value with now()" in message
    assert "DATE value with today()" in message
    assert "two dates" not in message


@pytest.mark.parametrize("dialect", C_LIKE)
def test_like_kinds_still_compare(dialect: Dialect) -> None:
    assert parse("due < now() && day <= today()", dialect=dialect).evaluate(DATA) is True
