"""Python's readings of ``[]`` and of adjacent strings do not leak into Java or JavaScript.

* ``a[-1]`` is the last item only in Python: Java raises, JavaScript gives undefined. In the
  dialects a negative index is an incident, as an index past the end is (so
  ``approvals[n - 1]`` with ``n`` still 0 no longer reads the last approval).
* ``s[1:3]`` is no syntax of either language: an incident naming ``substring``.
* ``'O''Brien'`` and ``"a" "b"`` are syntax errors there (Python joined them): refused.
The native language keeps Python's meaning of all three.
"""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.errors import ExpressionEvaluationError, ExpressionSyntaxError
from wfengine.expressions import Dialect, parse

C_LIKE = (Dialect.JAVASCRIPT, Dialect.JAVA)


@pytest.mark.parametrize("dialect", C_LIKE)
@pytest.mark.parametrize(
    ("text", "variables"),
    [
        ("approvals[n - 1] == 'yes'", {"approvals": ["no", "no", "yes"], "n": 0}),
        ("s[-1]", {"s": "abc"}),
        ("items[i]", {"items": (1, 2), "i": -2}),
    ],
)
def test_a_negative_index_is_an_incident(
    dialect: Dialect, text: str, variables: dict[str, Any]
) -> None:
    with pytest.raises(ExpressionEvaluationError, match=r"index -[12] is outside"):
        parse(text, dialect=dialect).evaluate(variables)


@pytest.mark.parametrize("dialect", C_LIKE)
def test_a_boolean_is_no_index(dialect: Dialect) -> None:
    with pytest.raises(ExpressionEvaluationError, match="not boolean"):
        parse("items[flag]", dialect=dialect).evaluate({"items": ["a", "b"], "flag": True})


ROWS: list[tuple[str, dict[str, Any], Any]] = [
    ("approvals[n - 1]", {"approvals": ["no", "yes"], "n": 2}, "yes"),
    ("items[0]", {"items": ["a"]}, "a"),
    ("s[i]", {"s": "abc", "i": 2}, "c"),
    ("codes[-1]", {"codes": {-1: "none"}}, "none"),  # a record is looked up by key
    ("doc[key]", {"doc": {"k": 5}, "key": "k"}, 5),
    ('doc["k"]', {"doc": {"k": 5}}, 5),
]


@pytest.mark.parametrize("dialect", C_LIKE)
@pytest.mark.parametrize(("text", "variables", "expected"), ROWS)
def test_indexes_from_zero_and_keys_read_as_before(
    dialect: Dialect, text: str, variables: dict[str, Any], expected: Any
) -> None:
    assert parse(text, dialect=dialect).evaluate(variables) == expected


@pytest.mark.parametrize("dialect", C_LIKE)
@pytest.mark.parametrize("text", ["s[1:3]", "s[:2]", "s[::-1]"])
def test_a_slice_is_refused(dialect: Dialect, text: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match="substring"):
        parse(text, dialect=dialect).evaluate({"s": "abcd"})


@pytest.mark.parametrize("dialect", C_LIKE)
@pytest.mark.parametrize(
    "text", ["name == 'O''Brien'", 's.equals("a" "b")', "'a' /* note */ 'b'", "'a'\n'b'"]
)
def test_adjacent_string_literals_are_refused(dialect: Dialect, text: str) -> None:
    with pytest.raises(ExpressionSyntaxError, match="side by side"):
        parse(text, dialect=dialect)


@pytest.mark.parametrize("dialect", C_LIKE)
def test_strings_joined_by_plus_and_escaped_quotes_still_read(dialect: Dialect) -> None:
    assert parse("'O\\'Brien' + \"s\"", dialect=dialect).evaluate({}) == "O'Briens"
    assert parse("x ? 'a' : 'b'", dialect=dialect).evaluate({"x": True}) == "a"


def test_the_native_language_keeps_python_indexes_slices_and_joins() -> None:
    assert parse("items[n - 1]").evaluate({"items": [1, 2, 3], "n": 0}) == 3
    assert parse("s[1:3]").evaluate({"s": "abcd"}) == "bc"
    assert parse("'a' 'b'").evaluate({}) == "ab"
