"""Properties over generated expressions.

Python's own ``eval`` appears here only as the oracle, on text these tests generate
themselves from a fixed grammar: the library never evaluates text that way.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from wfengine.errors import ExpressionEvaluationError, ExpressionSyntaxError
from wfengine.expressions import parse

VARIABLES = {"a": 7, "b": -3, "c": 0, "d": 12}

# A generated expression: (Python text, the same in JavaScript spelling, names it mentions).
Gen = tuple[str, str, frozenset[str]]

_atoms: st.SearchStrategy[Gen] = st.one_of(
    st.integers(min_value=0, max_value=1000).map(lambda n: (str(n), str(n), frozenset())),
    st.sampled_from(sorted(VARIABLES)).map(lambda v: (v, v, frozenset({v}))),
)

_BINARY = ["+", "-", "*", "//", "%", "/", "<", "<=", "==", "!=", ">", ">=", "and", "or"]
_JS = {"and": "&&", "or": "||", "==": "==="}


def _extend(children: st.SearchStrategy[Gen]) -> st.SearchStrategy[Gen]:
    def binary(left: Gen, op: str, right: Gen, bracket: bool) -> Gen:
        py = f"{left[0]} {op} {right[0]}"
        js = f"{left[1]} {_JS.get(op, op)} {right[1]}"
        if bracket:
            py, js = f"({py})", f"({js})"
        return py, js, left[2] | right[2]

    def negate(operand: Gen) -> Gen:
        return f"(not ({operand[0]}))", f"(!({operand[1]}))", operand[2]

    def minus(operand: Gen) -> Gen:
        return f"(-{operand[0]})", f"(-{operand[1]})", operand[2]

    def power(base: Gen, exponent: int) -> Gen:
        return f"({base[0]}) ** {exponent}", f"({base[1]}) ** {exponent}", base[2]

    def choose(test: Gen, body: Gen, orelse: Gen) -> Gen:
        return (
            f"({body[0]} if {test[0]} else {orelse[0]})",
            f"({body[1]} if {test[1]} else {orelse[1]})",
            test[2] | body[2] | orelse[2],
        )

    return st.one_of(
        st.builds(binary, children, st.sampled_from(_BINARY), children, st.booleans()),
        st.builds(negate, children),
        st.builds(minus, children),
        st.builds(power, children, st.integers(min_value=0, max_value=3)),
        st.builds(choose, children, children, children),
    )


expressions = st.recursive(_atoms, _extend, max_leaves=12)


def _oracle(text: str) -> tuple[bool, Any]:
    try:
        return True, eval(text, {"__builtins__": {}}, dict(VARIABLES))
    except ZeroDivisionError:
        return False, None


@given(expressions)
def test_agrees_with_python_on_arithmetic_and_comparisons(gen: Gen) -> None:
    text = gen[0]
    ok, expected = _oracle(text)
    expr = parse(text)
    if not ok:
        try:
            expr.evaluate(VARIABLES)
        except ExpressionEvaluationError as err:
            assert "division by zero" in err.message
            return
        raise AssertionError(f"{text!r} should have failed with a division by zero")
    result = expr.evaluate(VARIABLES)
    assert result == expected
    assert type(result) is type(expected)


@given(expressions)
def test_javascript_spelling_means_the_same(gen: Gen) -> None:
    python_text, js_text, _ = gen
    ok, expected = _oracle(python_text)
    if not ok:
        return
    result = parse(js_text).evaluate(VARIABLES)
    assert result == expected
    assert bool(result) is bool(expected)


@given(expressions)
def test_names_are_exactly_the_variables_written(gen: Gen) -> None:
    assert parse(gen[0]).names == gen[2]
    assert parse(gen[1]).names == gen[2]


_PIECES = [
    *"ab01 +-*/%<>=!&|()[]{}'\",.:;#~^@\n\\",
    "not ",
    " and ",
    " or ",
    " if ",
    " else ",
    " in ",
    " is ",
    "None",
    "True",
    "lambda",
    "len",
    "sorted",
    "str",
    "__class__",
    "**",
    "9",
    "===",
    "&&",
    "||",
    "null",
    "true",
    "x",
    ".lower()",
    "f'",
    ":=",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_arbitrary_text_fails_only_with_expression_errors(text: str) -> None:
    try:
        expr = parse(text)
    except ExpressionSyntaxError as err:
        assert err.source == text
        assert err.offset is not None and 0 <= err.offset <= len(text)
        return
    try:
        expr.evaluate({"a": 1, "b": [1, 2], "x": "Text"})
    except ExpressionEvaluationError as err:
        assert err.source == text


@given(st.text(max_size=30))
def test_string_literals_are_never_rewritten(content: str) -> None:
    text = repr(content)  # a valid Python literal of any text, '&&' and 'true' included
    assert parse(text).evaluate({}) == content
