"""``Math.max``/``Math.min`` after f65464a (numbers only) broke what definitions stored by the
previous wfengine relied on: two DATETIMEs (``Math.max(due, now())``) or two durations gave
the later/earlier one, and now stopped with an incident; over text (``Math.max(a, b) ==
'9'``) or booleans a stored deployment's instances took another way than before. Now the
values in time are wfengine's extension again (two of one kind), and a deployment stored
earlier keeps the old reading of text and booleans, noted so that the compiler warns, naming
the expression."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse
from wfengine.expressions.expression import build_expression
from wfengine.expressions.limits import Limits
from wfengine.expressions.name_spelling import composing_stored_names
from wfengine.expressions.stored_reading import noting_stored_readings

JS, JAVA = Dialect.JAVASCRIPT, Dialect.JAVA
EARLY, LATE = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)


@pytest.mark.parametrize("dialect", [JS, JAVA])
@pytest.mark.parametrize(
    ("a", "b"),
    [(EARLY, LATE), (LATE, EARLY), (date(2026, 1, 1), date(2026, 3, 1))],
    ids=["datetimes", "datetimes-reversed", "dates"],
)
def test_max_and_min_take_two_values_in_time(dialect: Dialect, a: Any, b: Any) -> None:
    values = {"a": a, "b": b}
    assert parse("Math.max(a, b)", dialect=dialect).evaluate(values) == max(a, b)
    assert parse("Math.min(a, b)", dialect=dialect).evaluate(values) == min(a, b)


@pytest.mark.parametrize("dialect", [JS, JAVA])
def test_max_of_durations_is_the_longer(dialect: Dialect) -> None:
    hour, two = timedelta(hours=1), timedelta(hours=2)
    assert parse("Math.max(a, b)", dialect=dialect).evaluate({"a": hour, "b": two}) == two
    assert parse("Math.min(a, b)", dialect=dialect).evaluate({"a": two, "b": hour}) == hour


@pytest.mark.parametrize("dialect", [JS, JAVA])
@pytest.mark.parametrize(
    ("b", "kinds"),
    [(timedelta(hours=1), "datetime and duration"), (3, "datetime and integer")],
)
def test_two_kinds_stay_an_error_naming_both(dialect: Dialect, b: Any, kinds: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=rf"Math\.max takes two numbers.*{kinds}"):
        parse("Math.max(a, b)", dialect=dialect).evaluate({"a": EARLY, "b": b})


def _stored(text: str, dialect: Dialect) -> tuple[Any, set[str]]:
    """``text`` read as a stored deployment's, and the notes of that reading."""
    with composing_stored_names(), noting_stored_readings() as notes:
        expression = build_expression(text, Limits(), dialect, ())
    return expression, notes


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    build_expression.cache_clear()  # (each test sees its notes made, not only cached)
    yield
    build_expression.cache_clear()


@pytest.mark.parametrize(
    ("dialect", "text", "convert"),
    [
        (JS, "Math.max(a, b) == '9'", "Number(x)"),
        (JAVA, 'Math.max(a, b).equals("9")', "Double.parseDouble(x)"),
    ],
)
def test_a_stored_deployment_keeps_reading_text_as_then(
    dialect: Dialect, text: str, convert: str
) -> None:
    values = {"a": "10", "b": "9"}
    for _ in range(2):  # a second reading takes the parse from the cache, with its notes
        expression, notes = _stored(text, dialect)
        assert expression.holds(values)
        [note] = map(str, notes)
        assert f"Math.max in {text!r} takes text and booleans" in note
        assert f"e.g. {convert}" in note
    with pytest.raises(ExpressionEvaluationError, match=r"Math\.max takes a number, not text"):
        parse(text, dialect=dialect).evaluate(values)  # a new definition's reading


@pytest.mark.parametrize("dialect", [JS, JAVA])
def test_a_stored_deployment_reads_numbers_and_booleans_as_then(dialect: Dialect) -> None:
    expression, _ = _stored("Math.abs(a) + Math.max(b, c)", dialect)
    assert expression.evaluate({"a": True, "b": -0.0, "c": 0.0}) == 1.0
    maximum, _ = _stored("Math.max(a, 2.5)", dialect)  # numbers as a new definition's
    assert math.isnan(maximum.evaluate({"a": float("nan")}))
    assert _stored("Math.max(1, 2.5)", dialect)[1] == set()  # numbers only: nothing to say
