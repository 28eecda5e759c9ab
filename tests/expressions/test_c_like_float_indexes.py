"""A whole-number double indexes a text or list in JavaScript, whose numbers are all doubles:
``items[n / 2]`` with ``n`` 4 is ``items[2]`` (it was an incident quoting Python: "list indices
must be integers or slices, not float"). A fractional or non-finite index gives undefined
there, an incident here worded for the dialect. Java indexes with an int only (a double index
does not compile): an incident naming Math.round. Records are looked up by key as before."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse

ITEMS = ["a", "b", "c"]


@pytest.mark.parametrize(
    ("text", "variables", "expected"),
    [
        ("items[n / 2]", {"items": ITEMS, "n": 4}, "c"),
        ("items[k]", {"items": ITEMS, "k": 1.0}, "b"),
        ("items[1.0]", {"items": ITEMS}, "b"),
        ("s[n / 2]", {"s": "abc", "n": 2}, "b"),
        ("m[k]", {"m": {1.0: "x"}, "k": 1.0}, "x"),
    ],
)
def test_a_whole_number_double_is_a_javascript_index(
    text: str, variables: dict[str, Any], expected: Any
) -> None:
    assert parse(text, dialect=Dialect.JAVASCRIPT).evaluate(variables) == expected


@pytest.mark.parametrize(
    ("k", "shown"), [(1.5, "1.5"), (float("nan"), "NaN"), (float("inf"), "Infinity")]
)
def test_a_fractional_or_non_finite_javascript_index_is_an_incident(k: float, shown: str) -> None:
    with pytest.raises(ExpressionEvaluationError) as raised:
        parse("items[k]", dialect=Dialect.JAVASCRIPT).evaluate({"items": ITEMS, "k": k})
    message = str(raised.value)
    assert f"index {shown} is not a whole number" in message
    assert "JavaScript gives undefined" in message
    assert "indices must be" not in message


def test_a_negative_whole_double_is_outside_as_a_negative_int_is() -> None:
    with pytest.raises(ExpressionEvaluationError, match=r"index -1 is outside a list"):
        parse("items[k]", dialect=Dialect.JAVASCRIPT).evaluate({"items": ITEMS, "k": -1.0})


@pytest.mark.parametrize("text", ["items[k]", "items[1.0]"])
def test_a_double_index_is_an_incident_in_java(text: str) -> None:
    with pytest.raises(ExpressionEvaluationError) as raised:
        parse(text, dialect=Dialect.JAVA).evaluate({"items": ITEMS, "k": 1.0})
    message = str(raised.value)
    assert "a list index in Java is an int, not the double 1.0" in message
    assert "Math.round" in message


def test_java_integer_division_still_indexes() -> None:
    assert parse("items[n / 2]", dialect=Dialect.JAVA).evaluate({"items": ITEMS, "n": 4}) == "c"
