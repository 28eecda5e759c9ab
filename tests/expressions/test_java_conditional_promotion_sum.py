"""Java's ``c ? 1 : 0.1 + 0.2`` is a double whichever branch is taken (binary numeric
promotion); d7f0fe9 widened the int branch only opposite a literal, a call or ``- * / %``,
never a ``+`` (it may join text), so ``"" + (vip ? 1 : 0.1 + 0.2)`` printed ``1`` where Java
prints ``1.0``. A ``+`` is now a double when an operand is one and neither can be text.

30d4cf2 took a field as never text, so ``"" + (vip ? 1 : x + 0.5)`` of a STRING ``x`` printed
``1.0`` where Java prints ``1`` (``x + 0.5`` joins text there). A field's type is not known
when compiling, so the int branch is widened only when the fields the other branch adds to a
double hold numbers as it is evaluated; that branch itself is never evaluated."""

from __future__ import annotations

import pytest

from wfengine.expressions import Dialect, parse
from wfengine.expressions.expression import build_expression
from wfengine.expressions.limits import Limits
from wfengine.expressions.name_spelling import composing_stored_names
from wfengine.expressions.stored_reading import noting_stored_readings


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ('"" + (vip ? 1 : 0.1 + 0.2)', "1.0"),
        ('"" + (vip ? 1 : -x + 0.5)', "1.0"),  # a sign takes numbers only
        ('"" + (vip ? 1 : 0.5 + x * 2)', "1.0"),
        ('"" + (vip ? 1 : x + 0.5)', "1.0"),  # x a number here: see the next test
        ('"" + (vip ? 1 : 0.5 + (x + 1))', "1.0"),
        ('"" + (vip ? 1 : s + 0.5)', "1"),  # s is text: joined
        ('"" + (vip ? 1 : 10 / 4)', "1"),  # two ints: an int
        ('"" + (vip ? 1 : x + 1)', "1"),
        ('"" + (vip ? 1 : "a" + 0.5)', "1"),  # text joined: Java keeps the int (an Object)
        ('"" + (vip ? 1 : s.trim() + 0.5)', "1"),
    ],
)
def test_a_sum_of_a_double_widens_the_other_branch(text: str, printed: str) -> None:
    values = {"vip": True, "x": 2, "s": " a "}
    assert parse(text, dialect=Dialect.JAVA).evaluate(values) == printed


@pytest.mark.parametrize(
    ("values", "printed"),
    [
        ({"vip": True, "x": "2"}, "1"),  # Java 17: String x = "2"; prints 1
        ({"vip": False, "x": "2"}, "20.5"),
        ({"vip": True, "x": 2}, "1.0"),  # int x: prints 1.0
        ({"vip": True, "x": 2.5}, "1.0"),
        ({"vip": True, "x": None}, "1"),  # null: no number (and no need to fail untaken)
        ({"vip": True}, "1"),  # no such field: the branch not taken is not evaluated
    ],
)
def test_the_int_branch_is_widened_only_beside_a_sum_of_numbers(
    values: dict[str, object], printed: str
) -> None:
    expression = parse('"" + (vip ? 1 : x + 0.5)', dialect=Dialect.JAVA)
    assert expression.evaluate(values) == printed
    minus = parse('"" + (vip ? 1 : -0.5 + x)', dialect=Dialect.JAVA)
    assert minus.evaluate(values) == printed.replace("20.5", "-0.52")


def test_a_stored_version_keeps_the_int_branch_and_notes_it() -> None:
    """A version stored before the widening reads ``vip ? 1 : x + 0.5`` as its wfengine did."""
    text = '"" + (vip ? 1 : x + 0.5)'
    build_expression.cache_clear()  # (the notes made, not only a cached parse's)
    with composing_stored_names(), noting_stored_readings() as notes:
        expression = build_expression(text, Limits(), Dialect.JAVA, ())
    build_expression.cache_clear()
    assert expression.evaluate({"vip": True, "x": 2}) == "1"
    [note] = map(str, notes)
    assert "keeps an int branch an int beside a double one" in note
