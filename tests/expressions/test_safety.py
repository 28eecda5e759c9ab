"""A hostile process definition cannot escape the language or make evaluation expensive.

Each case names the construct it refuses. The error class matters: a syntax error is found
when a definition is validated or deployed; an evaluation error only when a condition runs.
"""

from __future__ import annotations

import pytest

from wfengine.errors import ExpressionError, ExpressionEvaluationError, ExpressionSyntaxError
from wfengine.expressions import Dialect, Limits, parse

#: every hostile-input test runs through each dialect front end: Java and JavaScript texts
#: go through the same parser, limits and whitelist as native ones
DIALECTS = pytest.mark.parametrize("dialect", list(Dialect))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # reaching Python internals
        ("().__class__", "field names starting with '__' are not allowed"),
        ("().__class__.__bases__[0].__subclasses__()", "method '__subclasses__' is not"),
        ("x.__class__", "field names starting with '__' are not allowed"),
        ("x.__dict__", "field names starting with '__' are not allowed"),
        ("'a'.__len__()", "method '__len__' is not available"),
        ("'{0.__class__}'.format(x)", "method 'format' is not available"),
        ("__import__('os')", "unknown function '__import__'"),
        ("__import__('os').system('true')", "method 'system' is not available"),
        ("eval('1')", "unknown function 'eval'"),
        ("exec('1')", "unknown function 'exec'"),
        ("compile('1', '', 'eval')", "unknown function 'compile'"),
        ("open('/etc/passwd')", "unknown function 'open'"),
        ("getattr(x, 'y')", "unknown function 'getattr'"),
        ("type(x)", "unknown function 'type'"),
        ("x()", "unknown function 'x'"),
        ("items[0]()", "only the built-in functions can be called"),
        ("(lambda: 1)()", "only the built-in functions can be called"),
        # constructs outside the language
        ("lambda: 1", "lambda functions are not allowed"),
        ("(x := 1)", "assignment (:=) is not allowed"),
        ("[y for y in x]", "comprehensions are not allowed"),
        ("{y for y in x}", "comprehensions are not allowed"),
        ("{y: 1 for y in x}", "comprehensions are not allowed"),
        ("any(y for y in x)", "comprehensions are not allowed"),
        ("f'{x}'", "f-strings are not supported"),
        ("f'{x:>999999999}'", "f-strings are not supported"),
        ("[*x]", "unpacking with '*' is not allowed"),
        ("len(*x)", "unpacking with '*' is not allowed"),
        ("{**x}", "unpacking with '**' is not allowed"),
        ("max(**x)", "unpacking with '**' is not allowed"),
        ("(yield)", "'yield' is not allowed"),
        ("await x", "'await' is not allowed"),
        ("x | y", "'|' is not supported"),
        ("x & y", "'&' is not supported"),
        ("x ^ y", "'^' is not supported"),
        ("x << 2", "'<<' is not supported"),
        ("x >> 2", "'>>' is not supported"),
        ("~x", "'~' is not supported"),
        ("x @ y", "'@' is not supported"),
        ("x is 5", "'is' compares identity"),
        ("x is y", "'is' compares identity"),
        ("1j", "complex numbers not supported"),
        ("b'bytes'", "bytes literals not supported"),
        ("...", "Ellipsis not supported"),
        # calls that do not fit the function
        ("len()", "len():"),
        ("len(a, b)", "len():"),
        ("sorted(x, key=len)", "sorted():"),
        ("min(x, key=len)", "min():"),
        ("round(1, 2, 3)", "round():"),
        ("now(1)", "now():"),
        ("timedelta(1, 2, 3)", "timedelta():"),
        ("'a'.lower(1)", "lower():"),
        # statements and broken text
        ("import os", "invalid syntax"),
        ("x = 1", "invalid syntax"),
        ("a; b", "invalid syntax"),
        ("", "empty expression"),
        ("   \n ", "empty expression"),
        ("# only a comment", "empty expression"),
        (";", "empty expression"),
        ("(a", "'(' was never closed"),
        ("a)", "unmatched ')'"),
        ("(a]", "closing ']' does not match opening '('"),
        ("'abc", "unterminated string literal"),
        ("'''abc", "unterminated string literal"),
        ("a b", "invalid syntax"),
        ("a +", "invalid syntax"),
    ],
)
@DIALECTS
def test_forbidden_construct_is_a_syntax_error(text: str, message: str, dialect: Dialect) -> None:
    if text.startswith("#") and dialect is not Dialect.NATIVE:
        text = "//" + text[1:]  # Java and JavaScript comments
    with pytest.raises(ExpressionSyntaxError) as info:
        parse(text, dialect=dialect)
    assert message in info.value.message
    assert info.value.source == text
    assert info.value.offset is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9**9**9", "wider than 4096 bits"),
        ("2**5000", "wider than 4096 bits"),
        ("(2**4000)**2", "wider than 4096 bits"),
        ("(10**1000)*(10**1000)*(10**1000)*(10**1000)*(10**1000)", "wider than 4096 bits"),
        ("'a'*10**10", "budget"),
        ("[0]*10**9", "budget"),
        ("10**9*'a'", "budget"),
        ("[1]*100000*100000", "budget"),
        ("'ab'*400000 + 'ab'*400000", "budget"),
        ("len(('x'*900000)[:] + ('x'*900000)[:])", "budget"),
        ("sorted('ab'*600000)", "budget"),
        ("str([[0]*1000]*1000)", "budget"),
        ("str([['x'*500000]*1000])", "budget"),
        ("('x'*600000).upper().lower()", "budget"),
        ("int('9'*5000)", "int() of a string longer than"),
        ("round(5, -10**9)", "round() takes ndigits"),
        ("'%0999999999d' % 1", "'%' formatting of strings is not supported"),
        ("sum([[1], [2]], [])", "sum() starts only from a number"),
        ("(-8) ** 0.5", "complex number"),
        ("10.0 ** 400", "numeric overflow"),
        ("timedelta(days=10**10)", "numeric overflow"),
    ],
)
@DIALECTS
def test_expensive_evaluation_is_refused(text: str, message: str, dialect: Dialect) -> None:
    expr = parse(text, dialect=dialect)
    with pytest.raises(ExpressionEvaluationError) as info:
        expr.evaluate({})
    # Java and JavaScript arithmetic takes numbers only, so a text built by repeating a
    # sequence is refused there even before the budget would be (test_c_like_arithmetic.py)
    refused_early = dialect is not Dialect.NATIVE and " takes numbers, not " in info.value.message
    assert message in info.value.message or refused_early


def test_budget_is_per_evaluation() -> None:
    # each evaluation may use the whole budget; spending does not accumulate across them
    expr = parse("len('a' * 600000)")
    for _ in range(5):
        assert expr.evaluate({}) == 600000


def test_cheap_repetition_and_big_host_values_are_fine() -> None:
    assert parse("len('-' * 80)").evaluate({}) == 80
    assert parse("2 ** 4000 > 0").evaluate({}) is True
    big = "x" * 5_000_000  # values from the host are trusted; the budget counts what we build
    assert parse("len(doc) > 10 and doc[:3] == 'xxx'").evaluate({"doc": big}) is True


def test_repeated_passes_over_a_large_value_are_charged() -> None:
    values = {"big": list(range(600_000))}
    assert parse("sum(big) > 0").evaluate(values) is True
    for text in ("sum(big) + sum(big)", "max(big) > min(big)", "any(big) and all(big)"):
        with pytest.raises(ExpressionEvaluationError, match="budget"):
            parse(text).evaluate(values)


def test_limits_can_be_tightened() -> None:
    tight = Limits(max_work=100, max_int_bits=64, max_source_length=20)
    with pytest.raises(ExpressionEvaluationError, match="budget"):
        parse("'a' * 101", limits=tight).evaluate({})
    assert parse("'a' * 100", limits=tight).evaluate({}) == "a" * 100
    with pytest.raises(ExpressionEvaluationError, match="64 bits"):
        parse("2 ** 100", limits=tight).evaluate({})
    with pytest.raises(ExpressionSyntaxError, match="limit is 20"):
        parse("x" * 21, limits=tight)


def test_deep_bracket_nesting_is_refused_before_parsing() -> None:
    text = "(" * 4000 + "1" + ")" * 4000
    with pytest.raises(ExpressionSyntaxError) as info:
        parse(text)
    assert "brackets nest more than 50 deep" in info.value.message
    assert info.value.offset == 50


def test_ten_thousand_deep_brackets_with_a_raised_length_limit() -> None:
    text = "(" * 10_000 + "1" + ")" * 10_000
    with pytest.raises(ExpressionSyntaxError, match="nest"):
        parse(text, limits=Limits(max_source_length=30_000))
    with pytest.raises(ExpressionSyntaxError, match="characters long"):
        parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "not " * 2400 + "x",
        "-" * 9_000 + "1",
        "+" * 9_000 + "1",
        "!" * 9_000 + "x",
        "x if y else " * 800 + "z",
        "2**" * 3_000 + "2",
        "1+" * 4_999 + "1",
        "[" * 40 + "]" * 40 + "[0]" * 3000,
    ],
)
@DIALECTS
def test_deep_operator_chains_are_syntax_errors(text: str, dialect: Dialect) -> None:
    with pytest.raises(ExpressionSyntaxError, match=r"nest|parts"):
        parse(text, dialect=dialect)


def test_too_many_parts() -> None:
    text = "[" + ",".join(["1"] * 3000) + "]"
    with pytest.raises(ExpressionSyntaxError, match="more than 2000 parts"):
        parse(text)


def test_one_megabyte_expression() -> None:
    text = "1 + " * 250_000 + "1"
    with pytest.raises(ExpressionSyntaxError) as info:
        parse(text)
    assert "1000001 characters long; the limit is 10000" in info.value.message
    # the message names where the text starts rather than repeating a megabyte
    assert len(str(info.value)) < 300


def test_method_on_a_non_string_is_refused_at_run_time() -> None:
    # no attribute is ever looked up on a value: not even a host object's own 'lower'
    class Sneaky:
        def lower(self) -> str:
            raise AssertionError("must not be called")

    with pytest.raises(ExpressionEvaluationError, match="string method"):
        parse("x.lower()").evaluate({"x": Sneaky()})


def test_every_error_is_an_expression_error() -> None:
    for text in ("().__class__", "1/0"):
        with pytest.raises(ExpressionError):
            parse(text).evaluate({})


@pytest.mark.parametrize(
    "text",
    [
        "!" * 9_000,
        "!" * 9_000 + "x",
        "!-" * 4_500 + "x",
        "! " * 4_900 + "x",
    ],
)
def test_long_javascript_not_runs_are_refused(text: str) -> None:
    # each '!' becomes '(not ...)': a long run must not be rescanned once per '!'
    with pytest.raises(ExpressionSyntaxError):
        parse(text)
