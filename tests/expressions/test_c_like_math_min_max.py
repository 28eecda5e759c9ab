"""``Math.max``, ``Math.min`` and ``Math.abs`` in the Java and JavaScript dialects were
Python's ``max``, ``min`` and ``abs``: ``Math.max('10', '9')`` compared the texts alphabetically
and gave ``'9'`` (stored as 9.0 in a FLOAT field; JavaScript gives 10, Java does not compile),
``Math.max(true, 0)`` was True and ``Math.abs(true)`` 1; with NaN the answer depended on the
order of the arguments, and of two zeros on it too. Now they take numbers only, as
``Math.round`` does (an error naming the function), NaN wins either way and ``-0.0`` is below
``0.0``, as in both languages."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest

from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse

JS = Dialect.JAVASCRIPT
JAVA = Dialect.JAVA


def _value(dialect: Dialect, text: str, **values: Any) -> Any:
    return parse(text, dialect=dialect).evaluate(values)


@pytest.mark.parametrize("dialect", [JS, JAVA])
@pytest.mark.parametrize(
    ("text", "a", "b", "kind"),
    [
        ("Math.max(a, b)", "10", "9", "text"),
        ("Math.min(a, b)", 1, "2", "text"),
        ("Math.max(a, b)", True, 0, "boolean"),
        ("Math.min(a, b)", 3, None, "null"),
        ("Math.max(a, b)", [1], [2], "list"),
        ("Math.abs(a)", True, 0, "boolean"),
    ],
)
def test_math_min_max_abs_take_numbers_only(
    dialect: Dialect, text: str, a: Any, b: Any, kind: str
) -> None:
    name = text.split("(")[0]
    with pytest.raises(ExpressionEvaluationError, match=rf"{name} takes a number, not {kind}"):
        _value(dialect, text, a=a, b=b)


@pytest.mark.parametrize(
    ("dialect", "convert"), [(JS, "Number(x)"), (JAVA, "Double.parseDouble(x)")]
)
def test_text_given_to_math_max_names_the_conversion(dialect: Dialect, convert: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=re.escape(f"e.g. {convert}")):
        _value(dialect, "Math.max(a, 9)", a="10")


@pytest.mark.parametrize("dialect", [JS, JAVA])
@pytest.mark.parametrize(
    "text",
    ["Math.min(500, x)", "Math.min(x, 500)", "Math.max(1.5, x)", "Math.max(x, 1.5)"],
)
def test_nan_wins_whatever_the_order(dialect: Dialect, text: str) -> None:
    assert math.isnan(_value(dialect, text, x=math.nan))


@pytest.mark.parametrize("dialect", [JS, JAVA])
@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("Math.max(-0.0, 0.0)", 1.0),
        ("Math.max(0.0, -0.0)", 1.0),
        ("Math.min(0.0, -0.0)", -1.0),
        ("Math.min(-0.0, 0.0)", -1.0),
        ("Math.max(-0.0, -0.0)", -1.0),
    ],
)
def test_zeros_are_ordered_by_sign(dialect: Dialect, text: str, sign: float) -> None:
    result = _value(dialect, text)
    assert result == 0 and math.copysign(1.0, result) == sign


@pytest.mark.parametrize(
    ("dialect", "text", "expected"),
    [
        (JS, "Math.max(3, 2)", 3),
        (JS, "Math.min(1, 2.5)", 1),
        (JS, "Math.abs(-2.5)", 2.5),
        (JAVA, "Math.max(3, 2)", 3),
        (JAVA, "Math.max(1.0, 3)", 3.0),
        (JAVA, "Math.abs(-7)", 7),
    ],
)
def test_numbers_are_compared_as_before(dialect: Dialect, text: str, expected: Any) -> None:
    result = _value(dialect, text)
    assert result == expected and type(result) is type(expected)
