"""Python's conditional ``a if c else b`` is no Java or JavaScript: it is refused with the
operator to write (``c ? a : b``), while ``?:`` and the if-statement Shark evaluates (both read
with the test first) keep working."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.errors import ExpressionSyntaxError
from wfengine.expressions import Dialect, parse

C_LIKE = [Dialect.JAVASCRIPT, Dialect.JAVA]


@pytest.mark.parametrize("dialect", C_LIKE)
@pytest.mark.parametrize(
    "text", ["1 if c else 2", "(x if c else 2) + 1", "c ? (1 if c else 2) : 3"]
)
def test_python_conditional_is_refused_with_the_operator_to_write(
    dialect: Dialect, text: str
) -> None:
    with pytest.raises(ExpressionSyntaxError, match=r"write 'c \? a : b'"):
        parse(text, dialect=dialect)


@pytest.mark.parametrize("dialect", C_LIKE)
@pytest.mark.parametrize(
    ("text", "variables", "expected"),
    [
        ("c ? 1 : 2", {"c": False}, 2),
        ("a ? 1 : b ? 2 : 3", {"a": False, "b": True}, 2),
        ("if (c) {1} else {2}", {"c": True}, 1),
        ("if (a) {1} else if (b) {2} else {3}", {"a": False, "b": False}, 3),
        ("if (a ? b : !b) {b ? 'x' : 'y'} else {'z'}", {"a": False, "b": False}, "y"),
    ],
)
def test_c_like_conditionals_still_read(
    dialect: Dialect, text: str, variables: dict[str, Any], expected: Any
) -> None:
    assert parse(text, dialect=dialect).evaluate(variables) == expected


def test_the_native_language_keeps_python_conditional() -> None:
    assert parse("1 if c else 2").evaluate({"c": False}) == 2
