"""Orderings with no answer are worded in every language, the native one too: a date-time
without a time zone (a host's naive datetime) against one with (``received < now()``) says
which has none and what to do, where Java and JavaScript said "compares two numbers, two texts
or two dates, not datetime and datetime" (both dates) and the native language quoted Python's
"can't compare offset-naive and offset-aware datetimes"; and the native language's ``"abc" <
None`` or ``"10" < 9`` name the operand types and the test or conversion to write, not
Python's ``'<' not supported between instances of 'str' and 'NoneType'``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse

NAIVE = datetime(2024, 1, 1, 9, 0)
AWARE = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
LANGUAGE = {Dialect.NATIVE: "Python", Dialect.JAVA: "Java", Dialect.JAVASCRIPT: "JavaScript"}
PYTHON_TEXT = ("offset-naive", "not supported between", "NoneType", "'str'", "datetime and")


def _message(dialect: Dialect, text: str, variables: dict[str, Any]) -> str:
    with pytest.raises(ExpressionEvaluationError) as caught:
        parse(text, dialect=dialect).evaluate(variables)
    message = str(caught.value)
    assert not [t for t in PYTHON_TEXT if t in message], message
    return message


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize("symbol", ["<", "<=", ">", ">="])
def test_a_date_time_without_a_zone_against_one_with_says_which(
    dialect: Dialect, symbol: str
) -> None:
    message = _message(dialect, f"received {symbol} now()", {"received": NAIVE})
    assert f"'{symbol}' in {LANGUAGE[dialect]} cannot order received against now()" in message
    assert "received is a date-time without a time zone and now() one with" in message
    assert "give both a time zone" in message


@pytest.mark.parametrize("dialect", list(Dialect))
def test_the_zoned_one_on_the_left_is_named_as_such(dialect: Dialect) -> None:
    message = _message(dialect, "due > received", {"due": AWARE, "received": NAIVE})
    assert "received is a date-time without a time zone and due one with" in message


@pytest.mark.parametrize("dialect", [Dialect.JAVA, Dialect.JAVASCRIPT])
def test_compare_to_names_its_receiver_or_argument(dialect: Dialect) -> None:
    message = _message(dialect, "received.compareTo(due)", {"due": AWARE, "received": NAIVE})
    assert "its receiver is a date-time without a time zone and its argument one with" in message


def test_two_date_times_of_one_kind_still_order() -> None:
    later = datetime(2024, 1, 2, tzinfo=UTC)
    for dialect in Dialect:
        assert parse("a < b", dialect=dialect).evaluate({"a": AWARE, "b": later}) is True
        assert parse("a < b", dialect=dialect).evaluate({"a": NAIVE, "b": NAIVE}) is False


@pytest.mark.parametrize(
    ("text", "variables", "parts"),
    [
        ('"abc" < other', {"other": None}, ["not text and None", "x is not None and x > 0"]),
        ("amount > 100", {"amount": None}, ["'>' in Python", "not None and integer"]),
        ("0 <= amount <= 100", {"amount": None}, ["not integer and None"]),
        ("s > 9", {"s": "10"}, ["not text and integer", "int(x) or float(x)"]),
        ("9.5 < s", {"s": "10"}, ["not number and text"]),
    ],
)
def test_the_native_language_words_an_ordering_without_answer(
    text: str, variables: dict[str, Any], parts: list[str]
) -> None:
    message = _message(Dialect.NATIVE, text, variables)
    for part in parts:
        assert part in message


def test_the_native_language_keeps_its_orderings_and_equalities() -> None:
    assert parse("[1, 2] < [1, 3]").evaluate({}) is True
    assert parse("a == b").evaluate({"a": NAIVE, "b": AWARE}) is False  # as Python says
    assert parse("'a' < 'b' < 'c'").evaluate({}) is True


@pytest.mark.parametrize("dialect", [Dialect.NATIVE, Dialect.JAVASCRIPT])
@pytest.mark.parametrize(
    ("text", "variables", "parts"),
    [
        ("max(s, n)", {"s": "a", "n": 5}, ["max() orders", "not integer and text"]),
        ("min([s, o])", {"s": "a", "o": None}, ["min() orders", "null and text", "test it first"]),
        ("sorted(xs)", {"xs": [1, None]}, ["sorted() orders", "not integer and null"]),
        ("max(xs)", {"xs": [1, None]}, ["max() orders", "not integer and null"]),
        ("max(received, now())", {"received": NAIVE}, ["max() cannot order a date-time without"]),
        ("sorted([received, now()])", {"received": NAIVE}, ["give both a time zone"]),
    ],
)
def test_min_max_and_sorted_word_what_they_cannot_order(
    dialect: Dialect, text: str, variables: dict[str, Any], parts: list[str]
) -> None:
    message = _message(dialect, text, variables)
    for part in parts:
        assert part in message


def test_min_max_and_sorted_keep_their_answers_and_other_errors() -> None:
    assert parse("max(1, 2.5)").evaluate({}) == 2.5
    assert parse("sorted([b, a])").evaluate({"a": NAIVE, "b": NAIVE}) == [NAIVE, NAIVE]
    assert parse("min([], default=3)").evaluate({}) == 3
    with pytest.raises(ExpressionEvaluationError, match="not iterable"):
        parse("max(5)").evaluate({})
