"""Generated hostile expressions end within their budget: a value or a clean error.

The red team's worst expressions were tiny: ``[[[[1.0]*99]*99]*99] == ...`` (nested repetition,
whose shared references make a comparison walk 99**n elements) and numbers no count or
deadline can be. These properties generate such expressions and check that evaluation ends
with a value or an :class:`ExpressionError`, that the work it did (counted, not timed: the
number of comparison calls Python made on host objects) stays within the budget, and that
memory stays bounded.
"""

from __future__ import annotations

import contextlib
import math
import tracemalloc
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from wfengine.errors import ExpressionError
from wfengine.expressions import DEFAULT_LIMITS, Dialect, parse

_REPEAT = st.integers(min_value=2, max_value=999)
_SCALARS = st.sampled_from(["1", "1.0", "'x'", "None", "True", "[]", "()"])


@st.composite
def nested_repeats(draw: st.DrawFn) -> str:
    """``[[[x]*a]*b]*c`` and friends, nested up to 9 deep."""
    text = draw(_SCALARS)
    for _ in range(draw(st.integers(min_value=1, max_value=9))):
        bracket = draw(st.sampled_from(["[{}]", "({},)"]))
        text = f"{bracket.format(text)}*{draw(_REPEAT)}"
    return text


_USES = [
    "{a} == {b}",
    "{a} < {b}",
    "{a} in {b}",
    "max({a}, {b})",
    "sorted({a})",
    "len(str({a}))",
    "{a} + {b}",
    "[{a}, {b}, {a}]",
    "{{1: {a}}}",
    "sum({a}, 0)",
    "any({a})",
]


@given(nested_repeats(), nested_repeats(), st.sampled_from(_USES), st.sampled_from(list(Dialect)))
def test_nested_repetition_ends_within_the_budget(
    a: str, b: str, use: str, dialect: Dialect
) -> None:
    text = use.format(a=a, b=b)
    tracemalloc.start()
    try:
        value: Any = parse(text, dialect=dialect).evaluate({})
    except ExpressionError:
        value = None
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    # a million small elements at most: well under 100 MB, however the value was built
    assert peak < 100 * 2**20
    if isinstance(value, list | tuple):
        assert len(value) <= DEFAULT_LIMITS.max_work


class _Counted:
    """A host value that counts how often Python compares it."""

    calls = 0

    def __eq__(self, other: object) -> bool:
        _Counted.calls += 1
        return False

    def __lt__(self, other: object) -> bool:
        _Counted.calls += 1
        return False

    __hash__ = object.__hash__


@given(st.integers(min_value=1, max_value=6), st.sampled_from(["==", "<", "in"]))
def test_walks_over_repeated_host_values_are_charged(depth: int, op: str) -> None:
    # x is [[[c]*50]*50...]: its logical size grows as 50**depth; comparing it with an equal
    # structure (or looking in it) must stop at the budget, not walk 50**depth elements
    value: Any = _Counted()
    for _ in range(depth):
        value = [value] * 50
    _Counted.calls = 0
    text = f"x {op} y" if op != "in" else "z in x"
    with contextlib.suppress(ExpressionError):
        parse(text).evaluate({"x": value, "y": value, "z": 0})
    assert _Counted.calls <= DEFAULT_LIMITS.max_work


_NUMBERS = st.sampled_from(
    [
        "1e999",
        "-1e999",
        "float('nan')",
        "float('inf')",
        "10**300",
        "10**4000",
        "2**4096",
        "1e300 * 1e300",
        "-1e12",
        "timedelta(days=999999999)",
        "timedelta(seconds=1e300)",
        "9**9**9",
        "int('9' * 2000)",
        "round(1e308, -400)",
        "1 / 0",
        "1e308 ** 2",
    ]
)


@given(_NUMBERS, st.sampled_from(["{n}", "{n} + 1", "{n} * 2", "{n} > 0", "int({n})"]))
def test_extreme_numbers_give_a_value_or_a_clean_error(number: str, use: str) -> None:
    try:
        value = parse(use.format(n=number)).evaluate({})
    except ExpressionError:
        return
    if isinstance(value, float):
        assert math.isnan(value) or math.isinf(value) or abs(value) <= 1.8e308
    if isinstance(value, int) and not isinstance(value, bool):
        assert value.bit_length() <= DEFAULT_LIMITS.max_int_bits + 1
