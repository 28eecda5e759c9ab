"""What one evaluation may produce and do stays within the limits the README gives.

Integers: no operation yields one wider than ``max_int_bits`` (the stores refuse wider ones,
so a definition whose initial value computes one would deploy and then fail every instance).
"""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse

DIALECTS = pytest.mark.parametrize("dialect", list(Dialect))
WIDEST = 2**4096 - 1

# --------------------------------------------------------------------------- integers


@pytest.mark.parametrize(
    "text",
    [
        "3**4095",  # 6,491 bits: a lower bound on the width let it through
        "3**2600",
        "2**4095 + 2**4095",
        "-(2**4095) - 2**4095",
        "(3 * 2**2047) * (3 * 2**2046)",  # 4,097 bits from factors of 2,049 and 2,048
        "x + 1",
        "x - -x",
        "x * 2",
    ],
)
@DIALECTS
def test_arithmetic_never_yields_an_integer_wider_than_the_limit(
    text: str, dialect: Dialect
) -> None:
    with pytest.raises(ExpressionEvaluationError, match="wider than 4096 bits"):
        parse(text, dialect=dialect).evaluate({"x": WIDEST})


@pytest.mark.parametrize("text", ["sum([x, 1])", "sum([x], 1)", "round(x, -1)"])
def test_sum_and_round_never_yield_an_integer_wider_than_the_limit(text: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match="wider than 4096 bits"):
        parse(text).evaluate({"x": WIDEST})


@DIALECTS
def test_integers_up_to_the_limit_are_computed(dialect: Dialect) -> None:
    assert parse("(2**4095 - 1) * 2 + 1", dialect=dialect).evaluate({}) == WIDEST
    assert parse("x - 1 + 1", dialect=dialect).evaluate({"x": WIDEST}) == WIDEST
    assert parse("3**2584", dialect=dialect).evaluate({}).bit_length() == 4096


def test_an_initial_value_too_wide_fails_as_an_expression_not_as_a_store_refusal() -> None:
    builder = PackageBuilder("p")
    proc = builder.process("proc")
    proc.data_field("n", "INTEGER", initial="3**4095")
    proc.start("s").end("e").sequence("s", "e")
    engine = Engine()
    engine.deploy(builder.build())
    with pytest.raises(ExpressionEvaluationError, match=r"wider than 4096 bits.*3\*\*4095"):
        engine.start_process("proc", {})
