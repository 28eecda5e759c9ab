"""An ordering that has no answer in Java or JavaScript (``null > 100``, ``"10" > 9``) is an
incident worded in the dialect's terms, as ``+`` is (the language, the operand kinds null,
text, integer, record, and the conversion to write), not Python's ``'NoneType' and 'int'``."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse

ROWS: list[tuple[Dialect, str, dict[str, Any], list[str]]] = [
    (
        Dialect.JAVASCRIPT,
        "amount > 100",
        {"amount": None},
        ["'>' in JavaScript compares", "not null and integer", "x != null"],
    ),
    (
        Dialect.JAVA,
        "amount <= 100",
        {"amount": None},
        ["'<=' in Java compares", "not null and integer", "x != null"],
    ),
    (
        Dialect.JAVASCRIPT,
        "s > 9",
        {"s": "10"},
        ["not text and integer", "Number(x) or parseInt(x)"],
    ),
    (Dialect.JAVA, "9.5 < s", {"s": "10"}, ["not number and text", "Integer.parseInt(x)"]),
    (Dialect.JAVASCRIPT, "d >= 0", {"d": {"a": 1}}, ["not record and integer"]),
    (Dialect.JAVA, "a < b", {"a": [1], "b": "x"}, ["not list and text"]),
]


@pytest.mark.parametrize(("dialect", "text", "variables", "parts"), ROWS)
def test_an_ordering_without_answer_is_worded_for_the_dialect(
    dialect: Dialect, text: str, variables: dict[str, Any], parts: list[str]
) -> None:
    with pytest.raises(ExpressionEvaluationError) as raised:
        parse(text, dialect=dialect).evaluate(variables)
    message = raised.value.message
    for part in parts:
        assert part in message
    assert "NoneType" not in message and "instances of" not in message


@pytest.mark.parametrize("dialect", [Dialect.JAVASCRIPT, Dialect.JAVA])
def test_orderings_with_an_answer_are_unchanged(dialect: Dialect) -> None:
    assert parse("amount > 100", dialect=dialect).evaluate({"amount": 150}) is True
    assert parse("a < b", dialect=dialect).evaluate({"a": "apple", "b": "pear"}) is True
    assert parse("n >= 1.5", dialect=dialect).evaluate({"n": 2}) is True


def test_the_native_language_words_it_in_its_own_terms() -> None:
    # (it quoted Python's "'>' not supported between instances"; its null is None)
    with pytest.raises(ExpressionEvaluationError, match="not None and integer; a field with no"):
        parse("amount > 100").evaluate({"amount": None})
