"""In Java and JavaScript the relational operators (``<``, ``<=``, ``>``, ``>=`` and the
dialects' ``in``) bind tighter than ``==`` and ``!=`` (ECMA-262, JLS 15.20-15.21): ``approved
== amount > 100`` is ``approved == (amount > 100)``, ``x > 0 == y > 0`` is ``(x > 0) == (y >
0)``. Python's parser reads all of them as one chain; the front ends cut it at the equalities
(once read as ``(approved == amount) > 100`` and refused, or ``(flag == x) in xs``)."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.errors import ExpressionSyntaxError
from wfengine.expressions import Dialect, parse

C_LIKE = (Dialect.JAVASCRIPT, Dialect.JAVA)

# each row's answer is what node gives for the same text and values
ROWS: list[tuple[str, dict[str, Any], bool]] = [
    ("approved == amount > 100", {"approved": True, "amount": 500}, True),
    ("approved == amount > 100", {"approved": True, "amount": 50}, False),
    ("approved != amount > 100", {"approved": True, "amount": 50}, True),
    ("amount > 100 == approved", {"approved": False, "amount": 50}, True),
    ("x > 0 == y > 0", {"x": 1, "y": 2}, True),
    ("x > 0 == y > 0", {"x": 1, "y": -2}, False),
    ("x > 0 != y > 0 == f", {"x": 1, "y": -1, "f": True}, True),
    ("flag == x in xs", {"flag": True, "x": 1, "xs": [1]}, True),
    ("flag != x in xs", {"flag": False, "x": 1, "xs": [1]}, True),
    ("flag == x not in xs", {"flag": False, "x": 1, "xs": [1]}, True),
    ("a == b < c", {"a": True, "b": 1, "c": 2}, True),
    ("a < b in xs", {"a": 1, "b": 2, "xs": [True]}, True),  # (a < b) in xs
]


@pytest.mark.parametrize("dialect", C_LIKE)
@pytest.mark.parametrize(("text", "variables", "expected"), ROWS)
def test_relational_operators_bind_tighter_than_equality(
    dialect: Dialect, text: str, variables: dict[str, Any], expected: bool
) -> None:
    assert parse(text, dialect=dialect).evaluate(variables) is expected


@pytest.mark.parametrize("dialect", C_LIKE)
def test_a_range_after_an_equality_is_refused_naming_the_range(dialect: Dialect) -> None:
    with pytest.raises(ExpressionSyntaxError) as raised:
        parse("ok == 0 <= amount <= 100", dialect=dialect)
    message = str(raised.value)
    assert "'0 <= amount <= 100' reads as (0 <= amount) <= 100" in message
    assert "'0 <= amount && amount <= 100'" in message


@pytest.mark.parametrize("dialect", C_LIKE)
def test_ordering_a_membership_is_refused(dialect: Dialect) -> None:
    with pytest.raises(ExpressionSyntaxError) as raised:
        parse("x in xs < 3", dialect=dialect)
    assert "true or false" in str(raised.value)
    assert "for a range" not in str(raised.value)


def test_native_keeps_python_chains() -> None:
    # Python: approved == amount and amount > 100
    assert parse("approved == amount > 100").evaluate({"approved": True, "amount": 500}) is False
