"""The Java and JavaScript front ends stay within the limits the native language keeps.

Reading: the if-statement and ``?:`` rewrites and the comment rules must turn any text, however
deep or broken, into a syntax error naming the limit, never a RecursionError, and must not
rescan the text. Evaluating: the methods that walk a list or copy a string charge the work
budget as the native operators making the same walk do (``==``, ``in``, ``min``, ``lower()``).
"""

from __future__ import annotations

import inspect
import sys
from typing import Any

import pytest

from wfengine import PackageBuilder, validate
from wfengine.errors import ExpressionEvaluationError, ExpressionSyntaxError
from wfengine.expressions import Dialect, parse

JS = Dialect.JAVASCRIPT
JAVA = Dialect.JAVA
C_DIALECTS = pytest.mark.parametrize("dialect", [JS, JAVA])

# --------------------------------------------------------------------------- reading


@pytest.mark.parametrize(
    "text",
    [
        "if(a){1}else " * 300 + "{2}",  # a Shark-style else-if chain, 3.9 KB
        "if(a){1}else " * 768 + "{2}",  # as long as the length limit allows
        "a?1:" * 1000 + "2",  # the chain of conditionals an else-if chain becomes
        "a?" * 1000 + "1" + ":2" * 1000,  # conditionals nested in the consequent
        "(a?" * 49 + "(" + "a?" * 60 + "1" + ":2" * 60 + ")" + ":2)" * 49,  # and in brackets
    ],
)
@C_DIALECTS
def test_deep_conditionals_are_a_syntax_error_naming_the_limit(text: str, dialect: Dialect) -> None:
    with pytest.raises(ExpressionSyntaxError) as info:
        parse(text, dialect=dialect)
    assert info.value.message == "conditional expressions nest more than 100 deep"
    assert info.value.offset is not None and 0 < info.value.offset < len(text)


def test_a_deep_chain_is_one_finding_among_the_others() -> None:
    # validate reports it as a finding of its transition and goes on to the next condition
    builder = PackageBuilder("pkg", script="text/javascript")
    proc = builder.process("main")
    proc.data_field("a", "BOOLEAN", initial="true")
    proc.start("s").route("decide", gateway="Exclusive").activity("yes").activity("no")
    proc.activity("other").end("e")
    proc.sequence("s", "decide")
    proc.transition("decide", "yes", condition="if(a){1}else " * 300 + "{2}")
    proc.transition("decide", "other", condition="nosuchfield > 1")
    proc.transition("decide", "no", otherwise=True)
    proc.sequence("yes", "e").sequence("no", "e").sequence("other", "e")
    messages = [finding.message for finding in validate(builder.build())]
    assert any("conditional expressions nest more than 100 deep" in m for m in messages)
    assert any("'nosuchfield'" in m for m in messages)


@C_DIALECTS
def test_long_chains_within_the_limit_still_read(dialect: Dialect) -> None:
    # sixty else-ifs: more than brackets may nest, as a chain adds no nesting of its own
    chain = "".join(f"if (n == {i}) {{'v{i}'}} else " for i in range(60)) + "{'none'}"
    expr = parse(chain, dialect=dialect)
    assert [expr.evaluate({"n": n}) for n in (0, 37, 59, 60)] == ["v0", "v37", "v59", "none"]
    ternaries = parse("a?1:" * 98 + "2", dialect=dialect)
    assert ternaries.evaluate({"a": False}) == 2


@pytest.mark.parametrize(
    ("text", "variables", "result"),
    [
        ('if (approved) {"approved"} else {"declined"}', {"approved": False}, "declined"),
        ("if (a) {1}", {"a": False}, None),  # no else: null
        ("if (a) {1;} else if (b) {2;} else {3;};", {"a": False, "b": True}, 2),
        ("if (a) { if (b) {1} else {2} } else {3}", {"a": True, "b": False}, 2),
        ("if (a) {1} else { if (b) {2} else {3} }", {"a": False, "b": False}, 3),
        ("if (a ? b : !b) {b ? 'x' : 'y'} else {'z'}", {"a": False, "b": False}, "y"),
        ("[a ? 1 : 2, b ? 3 : a ? 4 : 5]", {"a": True, "b": False}, [1, 4]),
        ("a ? b ? 1 : 2 : b ? 3 : 4", {"a": False, "b": True}, 3),
    ],
)
def test_if_statements_and_conditionals_give_the_branch_taken(
    text: str, variables: dict[str, Any], result: Any
) -> None:
    assert parse(text, dialect=JS).evaluate(variables) == result


def test_reading_with_little_stack_left_is_a_syntax_error() -> None:
    # the last resort: a host calling with its stack nearly spent gets a finding, not a crash
    text = "(b?" * 45 + "1" + ":2)" * 45 + " == 0"
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 40)
    try:
        with pytest.raises(ExpressionSyntaxError, match="nests too deeply to read"):
            parse(text, dialect=JS)
    finally:
        sys.setrecursionlimit(limit)
    assert parse(text, dialect=JS).evaluate({"b": True}) is False  # nothing was cached


@C_DIALECTS
def test_an_unterminated_comment_is_a_syntax_error_at_its_start(dialect: Dialect) -> None:
    # lexing stops there: the text after it is not scanned again from each later '/*'
    text = "0 or " + "/*a" * 3300
    with pytest.raises(ExpressionSyntaxError) as info:
        parse(text, dialect=dialect)
    assert (info.value.message, info.value.offset) == ("unterminated comment", 5)


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("a /* and not */ && b", True),
        ("a /* /* nested openers end at the first */ && b", True),
        ("a && // the rest of the line\n b", True),
        ("'/* in a string' + '*/'", "/* in a string*/"),
        ("a /**/&&/***/b", True),
    ],
)
def test_comments_still_read(text: str, result: Any) -> None:
    assert parse(text, dialect=JS).evaluate({"a": True, "b": True}) == result


# --------------------------------------------------------------------------- evaluating

BIG = [0] * 300_000  # a walk costs 300,001 of the 1,000,000 budget: three pass, four do not
TEXT = "y" * 300_000
KEY = tuple(range(300_000))


@pytest.mark.parametrize(
    ("call", "repeat"),
    [
        ("x.indexOf(1)", 4),
        ("x.lastIndexOf(1)", 4),
        ("x.contains(1)", 4),
        ("x.includes(1)", 4),
        ("x.equals(y)", 4),
        ("s.equalsIgnoreCase(s)", 2),  # two case-folded copies of the text
        ("s.compareToIgnoreCase(s)", 2),
        ("d.containsKey(k)", 4),  # hashing a tuple key walks it
        ("d.get(k)", 4),
    ],
)
def test_methods_that_walk_a_value_are_charged(call: str, repeat: int) -> None:
    variables = {"x": BIG, "y": list(BIG), "s": TEXT, "d": {}, "k": KEY}
    once = parse(f"[{call}]", dialect=JAVA)
    assert len(once.evaluate(variables)) == 1
    repeated = parse("[" + ", ".join([call] * repeat) + "]", dialect=JAVA)
    with pytest.raises(ExpressionEvaluationError, match="budget"):
        repeated.evaluate(variables)


def test_methods_on_small_values_keep_their_results() -> None:
    variables = {"x": [3, 1, 3], "d": {(1, 2): "pair"}, "k": (1, 2)}
    results = parse(
        "[x.indexOf(3), x.lastIndexOf(3), x.contains(1), x.equals([3, 1, 3]),"
        " d.containsKey(k), d.get(k), 'Ab'.equalsIgnoreCase('aB'),"
        " 'b'.compareToIgnoreCase('A')]",
        dialect=JAVA,
    ).evaluate(variables)
    assert results == [0, 2, True, True, True, "pair", True, 1]


def test_compare_to_ignore_case_of_a_non_string_is_an_evaluation_error() -> None:
    with pytest.raises(ExpressionEvaluationError, match="compareToIgnoreCase"):
        parse("'a'.compareToIgnoreCase(1)", dialect=JAVA).evaluate({})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Integer.parseInt(s, 36)", "wider than 4096 bits"),  # 793 digits: 4,100 bits
        ("Integer.parseInt(s + 'zz', 36)", "longer than 794 digits"),
        ("Integer.parseInt(s, 37)", "radix 37 is not an integer from 2 to 36"),
        ("parseInt(s + 'zz', 36)", "longer than 793 digits"),  # JavaScript's own reader too
        ("parseFloat('" + "1" * 401 + "')", "longer than 400 characters"),
        ("Long.parseLong('10', 0)", "radix 0 is not an integer from 2 to 36"),
    ],
)
def test_parse_int_keeps_to_the_integer_width(text: str, message: str) -> None:
    with pytest.raises(ExpressionEvaluationError) as info:
        parse(text, dialect=JS).evaluate({"s": "z" * 793})
    assert message in info.value.message


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("parseInt('3.7')", 3),
        ("parseInt(' 42 ')", 42),
        ("parseInt('12px')", 12),
        ("parseInt('-0x1F')", -31),
        ("parseInt('ff', 16)", 255),
        ("parseInt(7.9)", 7),
        ("parseFloat('2.5kg')", 2.5),
        ("parseFloat(' .5e3x')", 500.0),
        ("Number('')", 0),
        ("Number(' 12 ')", 12.0),
        ("Number('0x1F')", 31),
        ("Number(true)", 1),
        ("isNaN(parseInt(''))", True),
        ("isNaN(parseInt('12', 37))", True),
        ("isNaN(parseFloat('kg'))", True),
        ("isNaN(Number('12px'))", True),
    ],
)
def test_javascript_reads_numbers_as_javascript_does(text: str, value: object) -> None:
    # not Java's strict readers: the longest number at the start, NaN where there is none
    found = parse(text, dialect=JS).evaluate({})
    assert found == value and type(found) is type(value)


def test_parse_int_reads_every_integer_the_width_allows() -> None:
    widest = 2**4096 - 1
    assert parse("Integer.parseInt(s, 2)", dialect=JAVA).evaluate({"s": "1" * 4096}) == widest
    digits = str(widest)
    assert parse("Integer.parseInt(s)", dialect=JAVA).evaluate({"s": digits}) == widest
    assert parse("parseInt('ff', 16) + parseInt(' -12 ')", dialect=JS).evaluate({}) == 243
