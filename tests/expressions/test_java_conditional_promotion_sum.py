"""Java's ``c ? 1 : 0.1 + 0.2`` is a double whichever branch is taken (binary numeric
promotion); d7f0fe9 widened the int branch only opposite a literal, a call or ``- * / %``,
never a ``+`` (it may join text), so ``"" + (vip ? 1 : 0.1 + 0.2)`` printed ``1`` where Java
prints ``1.0``. A ``+`` is now a double when an operand is one and neither can be text.

30d4cf2 took a field as never text, so ``"" + (vip ? 1 : x + 0.5)`` of a STRING ``x`` printed
``1.0`` where Java prints ``1`` (``x + 0.5`` joins text there). A field's type is not known
when compiling, so a field may be text: the int branch is kept as it is, and a number ``x``
prints ``1`` too, as before 30d4cf2 (never widened where Java would not be)."""

from __future__ import annotations

import pytest

from wfengine.expressions import Dialect, parse


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ('"" + (vip ? 1 : 0.1 + 0.2)', "1.0"),
        ('"" + (vip ? 1 : -x + 0.5)', "1.0"),  # a sign takes numbers only
        ('"" + (vip ? 1 : 0.5 + x * 2)', "1.0"),
        ('"" + (vip ? 1 : x + 0.5)', "1"),  # x may be text: see the next test
        ('"" + (vip ? 1 : 0.5 + (x + 1))', "1"),
        ('"" + (vip ? 1 : 10 / 4)', "1"),  # two ints: an int
        ('"" + (vip ? 1 : x + 1)', "1"),
        ('"" + (vip ? 1 : "a" + 0.5)', "1"),  # text joined: Java keeps the int (an Object)
        ('"" + (vip ? 1 : s.trim() + 0.5)', "1"),
    ],
)
def test_a_sum_of_a_double_widens_the_other_branch(text: str, printed: str) -> None:
    values = {"vip": True, "x": 2, "s": " a "}
    assert parse(text, dialect=Dialect.JAVA).evaluate(values) == printed


@pytest.mark.parametrize(("vip", "printed"), [(True, "1"), (False, "20.5")])
def test_a_text_field_joined_to_a_double_keeps_the_int_branch(vip: bool, printed: str) -> None:
    """Java 17: ``String x = "2"; "" + (vip ? 1 : x + 0.5)`` prints ``1`` (or ``20.5``)."""
    expression = parse('"" + (vip ? 1 : x + 0.5)', dialect=Dialect.JAVA)
    assert expression.evaluate({"vip": vip, "x": "2"}) == printed
