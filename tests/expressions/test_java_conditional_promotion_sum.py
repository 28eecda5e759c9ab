"""Java's ``c ? 1 : 0.1 + 0.2`` is a double whichever branch is taken (binary numeric
promotion); d7f0fe9 widened the int branch only opposite a literal, a call or ``- * / %``,
never a ``+`` (it may join text), so ``"" + (vip ? 1 : 0.1 + 0.2)`` printed ``1`` where Java
prints ``1.0``. A ``+`` is now a double when an operand is one and neither can be text."""

from __future__ import annotations

import pytest

from wfengine.expressions import Dialect, parse


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ('"" + (vip ? 1 : 0.1 + 0.2)', "1.0"),
        ('"" + (vip ? 1 : x + 0.5)', "1.0"),
        ('"" + (vip ? 1 : 0.5 + (x + 1))', "1.0"),
        ('"" + (vip ? 1 : 10 / 4)', "1"),  # two ints: an int
        ('"" + (vip ? 1 : x + 1)', "1"),
        ('"" + (vip ? 1 : "a" + 0.5)', "1"),  # text joined: Java keeps the int (an Object)
        ('"" + (vip ? 1 : s.trim() + 0.5)', "1"),
    ],
)
def test_a_sum_of_a_double_widens_the_other_branch(text: str, printed: str) -> None:
    values = {"vip": True, "x": 2, "s": " a "}
    assert parse(text, dialect=Dialect.JAVA).evaluate(values) == printed
