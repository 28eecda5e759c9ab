"""``Math.round`` in the Java and JavaScript dialects was ``floor(x + 0.5)``: the sum itself
rounds, so ``Math.round(0.49999999999999994)`` was 1 (both languages give 0) and
``Math.round(4503599627370497.0)`` was ...498; text or null failed on a ``+`` no one wrote, and
NaN or an infinity failed with Python's conversion error. Now it rounds half up exactly, takes
numbers only (an error naming ``Math.round``), and NaN and the infinities are what each
language gives: as they are in JavaScript (for ``Math.floor`` and ``Math.ceil`` too), 0 and
the clamped ``long`` in Java."""

from __future__ import annotations

import math
from typing import Any

import pytest

from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse

JS = Dialect.JAVASCRIPT
JAVA = Dialect.JAVA
LONG_MAX = 2**63 - 1


def _value(dialect: Dialect, text: str, x: Any) -> Any:
    return parse(text, dialect=dialect).evaluate({"x": x})


@pytest.mark.parametrize("dialect", [JS, JAVA])
@pytest.mark.parametrize(
    ("x", "rounded"),
    [
        (0.49999999999999994, 0),
        (4503599627370497.0, 4503599627370497),
        (2.5, 3),
        (-2.5, -2),  # half up, toward positive infinity, in both languages
        (-2.6, -3),
        (7, 7),
    ],
)
def test_math_round_rounds_half_up_exactly(dialect: Dialect, x: float, rounded: int) -> None:
    value = _value(dialect, "Math.round(x)", x)
    assert value == rounded and type(value) is int


@pytest.mark.parametrize("dialect", [JS, JAVA])
@pytest.mark.parametrize(
    ("x", "named"), [("2.5", "not text"), (None, "not null"), (True, "not boolean")]
)
def test_math_round_takes_numbers_only(dialect: Dialect, x: Any, named: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match=r"Math\.round takes a number") as caught:
        _value(dialect, "Math.round(x)", x)
    assert named in str(caught.value)


def test_javascript_math_keeps_nan_and_infinities() -> None:
    for function in ("round", "floor", "ceil"):
        assert math.isnan(_value(JS, f"Math.{function}(x)", math.nan))
        assert _value(JS, f"Math.{function}(x)", math.inf) == math.inf
        assert _value(JS, f"Math.{function}(x)", -math.inf) == -math.inf


def test_java_math_round_is_a_long() -> None:
    assert _value(JAVA, "Math.round(x)", math.nan) == 0
    assert _value(JAVA, "Math.round(x)", math.inf) == LONG_MAX
    assert _value(JAVA, "Math.round(x)", -math.inf) == -(2**63)
    assert _value(JAVA, '"" + Math.round(x)', 1e21) == str(LONG_MAX)
    assert _value(JAVA, "Math.floor(x)", math.inf) == math.inf  # a double, as before
