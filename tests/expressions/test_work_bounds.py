"""What one evaluation may produce and do stays within the limits the README gives.

Integers: no operation yields one wider than ``max_int_bits`` (the stores refuse wider ones,
so a definition whose initial value computes one would deploy and then fail every instance).
Printing: the text of a value is refused before it is built when the budget cannot pay for it
(a wide integer repeated in a container prints as far more text than it takes memory).
Strings: the methods whose Python counterparts are quadratic (``strip`` with many characters,
``rfind`` behind ``lastIndexOf``) take linear time, and charge what they walk or copy.
"""

from __future__ import annotations

import sys
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.errors import DeployError, ExpressionEvaluationError
from wfengine.expressions import Dialect, Limits, functions, parse

DIALECTS = pytest.mark.parametrize("dialect", list(Dialect))
C_DIALECTS = pytest.mark.parametrize("dialect", [Dialect.JAVASCRIPT, Dialect.JAVA])
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
    """A constant one is refused at deploy (validation computes it); one computed from
    another field fails when the instance is created, naming the expression."""
    constant = PackageBuilder("p")
    proc = constant.process("proc")
    proc.data_field("n", "INTEGER", initial="3**4095")
    proc.start("s").end("e").sequence("s", "e")
    engine = Engine()
    with pytest.raises(DeployError, match=r"initial-value-type: .* wider than 4096 bits"):
        engine.deploy(constant.build())
    computed = PackageBuilder("p")
    proc = computed.process("proc")
    proc.data_field("m", "INTEGER", initial="4095")
    proc.data_field("n", "INTEGER", initial="3**m")
    proc.start("s").end("e").sequence("s", "e")
    engine.deploy(computed.build())
    with pytest.raises(ExpressionEvaluationError, match=r"wider than 4096 bits.*3\*\*m"):
        engine.start_process("proc", {})


# --------------------------------------------------------------------------- printing values

#: a 4,096-bit integer prints as 1,234 digits: ten thousand of them are 12 MB of text (Java
#: and JavaScript do not repeat lists with '*', so the grid comes from the host there)
WIDE_GRID = "[[3**2584]*100]*100"
GRID = [[3**2584] * 100] * 100


@pytest.mark.parametrize(
    ("text", "dialect"),
    [
        (f"str({WIDE_GRID})", Dialect.NATIVE),
        ("String(grid)", Dialect.JAVASCRIPT),
        ("(grid).toString()", Dialect.JAVASCRIPT),
        ('"n=" + grid', Dialect.JAVASCRIPT),
        ("String.valueOf(grid)", Dialect.JAVA),
        ('"n=" + grid', Dialect.JAVA),
    ],
)
def test_the_text_of_a_value_is_refused_before_it_is_printed(text: str, dialect: Dialect) -> None:
    expr = parse(text, dialect=dialect)
    tracemalloc.start()
    try:
        with pytest.raises(ExpressionEvaluationError, match="budget"):
            expr.evaluate({"grid": GRID})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # not the 12 MB of text first


SAMPLES: list[Any] = [
    [],
    (),
    {},
    set(),
    frozenset(),
    [[]] * 50,
    [()] * 3 + [(1,)] * 3,
    [WIDEST, -WIDEST, 0, 1, -1, 9, 10, -10, 2**63, 10**20],
    [1.5, -0.0, 1e300, float("nan"), float("inf"), 2.0, True, False, None],
    ["", "it's", 'say "hi"', "a\\b", "\x00\n"],
    {"k": [1, 2], "v": {"x": None}, "": ()},
    {(1, "a"), frozenset({2.5})},
    [date(2024, 2, 29), datetime(2024, 1, 1, 9, 30, tzinfo=UTC), time(8), timedelta(3, 5)],
    [[[3**2000] * 7] * 5] * 3,
]


@pytest.mark.parametrize("value", SAMPLES, ids=range(len(SAMPLES)))
@pytest.mark.parametrize(
    ("text", "dialect"),
    [
        ("str(x)", Dialect.NATIVE),
        ("String(x)", Dialect.JAVASCRIPT),
        ("String.valueOf(x)", Dialect.JAVA),
    ],
)
def test_a_text_that_fits_the_budget_exactly_is_printed(
    value: Any, text: str, dialect: Dialect
) -> None:
    # the length worked out before printing never exceeds the text's own
    printed = parse(text, dialect=dialect).evaluate({"x": value})
    exact = Limits(max_work=max(len(printed), 1))
    assert parse(text, dialect=dialect, limits=exact).evaluate({"x": value}) == printed


# --------------------------------------------------------------------------- strings

#: initial values each within the budget; Python's own x.strip(y) takes seconds on them
#: (it looks for every character of x in all of y), charging nothing but its result
LONG_TEXT = {"x": "a" * 300_000, "y": "b" * 300_000 + "a"}


@contextmanager
def c_calls() -> Iterator[list[str]]:
    """The names of the built-in functions and methods called meanwhile, in order. Why: the
    quadratic paths are Python's own ``strip``/``rfind`` given long arguments; whether they
    are taken is a fact to assert, where the time they take depends on the machine."""
    names: list[str] = []

    def record(_frame: object, event: str, arg: object) -> None:
        if event == "c_call":
            names.append(getattr(arg, "__name__", ""))

    sys.setprofile(record)
    try:
        yield names
    finally:
        sys.setprofile(None)


@pytest.mark.parametrize("method", ["strip", "lstrip", "rstrip"])
@pytest.mark.parametrize(
    "chars",
    [LONG_TEXT["y"], "".join(map(chr, range(0x4E00, 0x4E00 + 300))) * 1000 + "a"],
    ids=["few-distinct", "many-distinct"],
)
def test_stripping_is_charged_for_the_text_and_the_characters(
    method: str, chars: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    given: list[int] = []
    for ends, strip in list(functions._PYTHON_STRIP.items()):

        def recorded(text: str, c: str | None, strip: Any = strip) -> str:
            given.append(len(c or ""))
            return strip(text, c)  # type: ignore[no-any-return]

        monkeypatch.setitem(functions._PYTHON_STRIP, ends, recorded)
    call = f"x.{method}(y)"
    values = {"x": LONG_TEXT["x"], "y": chars}
    assert parse(call).evaluate(values) == ""
    assert all(n <= functions._FEW_CHARS for n in given), given  # never the long chars
    with pytest.raises(ExpressionEvaluationError, match="budget"):
        parse(f"[{call}, {call}]").evaluate(values)


@pytest.mark.parametrize("method", ["strip", "lstrip", "rstrip"])
def test_stripping_with_few_characters_is_python_s_own(method: str) -> None:
    with c_calls() as names:
        assert parse(f"x.{method}('ab')").evaluate({"x": "abxab"}) == getattr("abxab", method)("ab")
    assert method in names  # the probe sees the method a long chars must not be given


MANY = "".join(map(chr, range(0x4E00, 0x4E00 + 500)))


@pytest.mark.parametrize(
    ("text", "chars"),
    [
        ("  padded\\t\\n", None),
        ("xxhixyx", "xy"),
        ("", "abc"),
        ("abc", ""),
        ("abcabcXabc", "abc" * 20),  # long, but three distinct characters
        (MANY[:7] + "middle" + MANY[-3:] + MANY, MANY),  # many distinct characters
        (MANY, MANY),
    ],
)
@pytest.mark.parametrize("method", ["strip", "lstrip", "rstrip"])
def test_stripping_gives_what_python_gives(text: str, chars: str | None, method: str) -> None:
    expected = getattr(text, method)(chars)
    call = f"x.{method}()" if chars is None else f"x.{method}(y)"
    assert parse(call).evaluate({"x": text, "y": chars}) == expected


@C_DIALECTS
def test_last_index_of_a_long_string_takes_time_linear_in_the_text(dialect: Dialect) -> None:
    # Python's rfind compares the whole string at each place here: seconds, charged nothing
    values = {"text": "a" * 300_000, "part": "a" * 100_000 + "b" + "a" * 100_000}
    expression = parse("text.lastIndexOf(part)", dialect=dialect)
    with c_calls() as names:
        assert expression.evaluate(values) == -1
    assert "rfind" not in names
    assert "find" in names  # the reversed search: linear


@C_DIALECTS
def test_last_index_of_a_short_part_is_python_s_own(dialect: Dialect) -> None:
    with c_calls() as names:
        assert parse("text.lastIndexOf('ab')", dialect=dialect).evaluate({"text": "abab"}) == 2
    assert "rfind" in names  # the probe sees the method the long case must not use


@pytest.mark.parametrize(
    ("text", "part", "index"),
    [
        ("abcabc", "abc", 3),
        ("abcabc", "", 6),
        ("", "", 0),
        ("ab", "abc", -1),
        ("x" + "ab" * 20 + "y", "ab" * 10, 21),  # longer than what rfind is left
        ("ab" * 20, "ba" * 10 + "x", -1),
        ("ab" * 20, "ab" * 20, 0),
    ],
)
@C_DIALECTS
def test_last_index_of_finds_the_last_place(
    text: str, part: str, index: int, dialect: Dialect
) -> None:
    expr = parse("text.lastIndexOf(part)", dialect=dialect)
    assert expr.evaluate({"text": text, "part": part}) == index == text.rfind(part)
