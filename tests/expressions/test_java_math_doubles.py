"""Java's ``Math.floor``/``Math.ceil`` give a ``double``, and ``Math.max``/``Math.min`` widen an
int when the other argument is a double: a Java condition dividing or printing their result
must see Java's decimal arithmetic, not integer division (``Math.floor(7.5) / 2`` is ``3.5``).
JavaScript's numbers are all doubles already, so its results print and divide as before."""

from __future__ import annotations

import math
from typing import Any

import pytest

from wfengine.expressions import Dialect, parse

JS = Dialect.JAVASCRIPT
JAVA = Dialect.JAVA


@pytest.mark.parametrize(
    ("dialect", "text", "result"),
    [
        (JAVA, "Math.floor(7.5) / 2", 3.5),
        (JAVA, "Math.ceil(x) / 2", 1.5),
        (JAVA, "Math.max(1.0, 3) / 2", 1.5),
        (JAVA, "Math.min(3, 1.0) / 2", 0.5),
        (JAVA, '"n=" + Math.floor(2.5)', "n=2.0"),
        (JAVA, '"n=" + Math.ceil(2.1)', "n=3.0"),
        (JAVA, '"n=" + Math.floor(3)', "n=3.0"),  # an int argument is widened to double
        (JAVA, '"n=" + Math.ceil(-0.5)', "n=-0.0"),
        (JAVA, "Math.max(2, 3) / 2", 1),  # two ints stay an int, divided as integers
        (JAVA, "Math.round(2.5) / 2", 1),  # Math.round gives a long
        (JS, "Math.floor(7.5) / 2", 3.5),
        (JS, "Math.ceil(x) / 2", 1.5),
        (JS, "Math.max(1.0, 3) / 2", 1.5),
        (JS, "'n=' + Math.floor(2.5)", "n=2"),
        (JS, "'n=' + Math.max(1.0, 3)", "n=3"),
    ],
)
def test_math_results_divide_and_print_as_the_language_does(
    dialect: Dialect, text: str, result: Any
) -> None:
    value = parse(text, dialect=dialect).evaluate({"x": 2.5})
    assert value == result
    assert type(value) is type(result)


def test_java_floor_keeps_infinity() -> None:
    value = parse('Math.floor(Double.parseDouble("Infinity"))', dialect=JAVA).evaluate({})
    assert value == math.inf
