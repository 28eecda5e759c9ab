"""JavaScript's ``substring`` and ``charAt`` never fail on a position outside the string: a
definition that cuts a name with ``name.substring(0, 20)`` must not become an incident for
every name shorter than twenty characters. Java throws there, and so does its front end."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse

JS = Dialect.JAVASCRIPT
JAVA = Dialect.JAVA


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("name.substring(0, 20)", "Ada"),  # the end clamped to the length
        ("name.substring(2, 0)", "Ad"),  # start after end: swapped
        ("name.substring(-1, 2)", "Ad"),  # a negative start read as 0
        ("name.substring(5)", ""),
        ("name.substring(1)", "da"),
        ("name.substring(0, name.length / 2)", "A"),  # 1.5 truncated toward zero
        ("name.substring(parseInt('x'), 2)", "Ad"),  # NaN read as 0
        ("name.charAt(5)", ""),
        ("name.charAt(-1)", ""),
        ("name.charAt(1)", "d"),
        ("name.charAt(2.9)", "a"),
    ],
)
def test_javascript_clamps_string_positions(text: str, result: Any) -> None:
    assert parse(text, dialect=JS).evaluate({"name": "Ada"}) == result


def test_a_position_that_is_no_number_is_refused_not_converted() -> None:
    with pytest.raises(ExpressionEvaluationError, match="substring\\(\\) takes numbers, got text"):
        parse("name.substring('1')", dialect=JS).evaluate({"name": "Ada"})


@pytest.mark.parametrize(
    "text", ["name.substring(0, 20)", "name.substring(2, 0)", "name.charAt(5)"]
)
def test_java_still_refuses_positions_outside_the_string(text: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match="outside a string of length 3"):
        parse(text, dialect=JAVA).evaluate({"name": "Ada"})
