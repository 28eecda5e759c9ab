"""The Java and JavaScript front ends: the expression forms modelling tools write, by table.

Each row is ``(dialect, text, variables, result)``; the hostile-input tests of
``test_safety.py`` run through every dialect as well.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from wfengine.errors import ExpressionEvaluationError, ExpressionSyntaxError
from wfengine.expressions import Dialect, parse

JS = Dialect.JAVASCRIPT
JAVA = Dialect.JAVA
NATIVE = Dialect.NATIVE

ROWS: list[tuple[Dialect, str, dict[str, Any], Any]] = [
    # string comparisons as Java writes them
    (JAVA, 'status.equals("OK")', {"status": "OK"}, True),
    (JAVA, '!status.equals("OK")', {"status": "OK"}, False),
    (JAVA, 'status.equals("OK")', {"status": None}, False),  # a null field is not "OK"
    (JAVA, 'a.equalsIgnoreCase("yes")', {"a": "YeS"}, True),
    (JAVA, "a.compareTo(b) > 0", {"a": "pear", "b": "apple"}, True),
    (JAVA, "a.compareTo(b)", {"a": 3, "b": 3}, 0),
    (JAVA, 'a.compareToIgnoreCase("ABC") == 0', {"a": "abc"}, True),
    (JAVA, "name.length() > 3", {"name": "Anna"}, True),
    (JAVA, "name.isEmpty()", {"name": ""}, True),
    (JAVA, "items.size()", {"items": [1, 2, 3]}, 3),
    (JAVA, 'text.contains("late")', {"text": "delivered late"}, True),
    (JAVA, 'code.startsWith("CRM-")', {"code": "CRM-7"}, True),
    (JAVA, 'file.endsWith(".pdf")', {"file": "a.pdf"}, True),
    (JAVA, "s.toUpperCase()", {"s": "ab"}, "AB"),
    (JAVA, "s.toLowerCase()", {"s": "AB"}, "ab"),
    (JAVA, "s.trim()", {"s": "  x  "}, "x"),
    (JAVA, "s.substring(1, 3)", {"s": "abcd"}, "bc"),
    (JAVA, "s.substring(2)", {"s": "abcd"}, "cd"),
    (JAVA, "s.charAt(0)", {"s": "xyz"}, "x"),
    (JAVA, 'a.concat("!")', {"a": "hi"}, "hi!"),
    (JAVA, 'm.get("k")', {"m": {"k": 5}}, 5),
    (JAVA, 'm.containsKey("k")', {"m": {"k": 5}}, True),
    (JAVA, "Integer.parseInt(n) + 1", {"n": "41"}, 42),
    (JAVA, "Integer.valueOf(n) * 2", {"n": "21"}, 42),
    (JAVA, "Double.parseDouble(x) > 1.5", {"x": "2.5"}, True),
    (JAVA, 'Boolean.parseBoolean("TRUE")', {}, True),
    (JAVA, "String.valueOf(n)", {"n": 2.0}, "2.0"),
    (JAVA, "Math.max(a, b)", {"a": 3, "b": 9}, 9),
    (JAVA, "Math.abs(x)", {"x": -4}, 4),
    (JAVA, "7 / 2", {}, 3),
    (JAVA, "-7 / 2", {}, -3),
    (JAVA, "-7 % 2", {}, -1),
    (JAVA, "7.0 / 2", {}, 3.5),
    (JAVA, '"total: " + n', {"n": 2.0}, "total: 2.0"),
    (JAVA, '"ok: " + flag', {"flag": True}, "ok: true"),
    (JAVA, "a == null", {"a": None}, True),
    (JAVA, "a != null && a > 3", {"a": 5}, True),
    (JAVA, 'amount > 100 ? "big" : "small"', {"amount": 150}, "big"),
    # JavaScript as JaWE, Shark and TIBCO write it
    (JS, "whereToGo.indexOf('B') != -1", {"whereToGo": "ABD"}, True),
    (JS, "whereToGo.indexOf('C') != -1", {"whereToGo": "ABD"}, False),
    (JS, "s.lastIndexOf('a')", {"s": "banana"}, 5),
    (JS, "list.indexOf(3)", {"list": [1, 2, 3]}, 2),
    (JS, "s.length == 5", {"s": "hello"}, True),
    (JS, "list.length", {"list": [1, 2]}, 2),
    (JS, "s.includes('nan')", {"s": "banana"}, True),
    (JS, "Field==true;", {"Field": True}, True),
    (JS, "a === 'x' && !b", {"a": "x", "b": False}, True),
    # a boolean equals no number, as in JavaScript and Java (Python says 0 == False)
    (JS, "0 === false", {}, False),
    (JS, "approved === 1", {"approved": True}, False),
    (JS, "count !== true", {"count": 1}, True),
    (JAVA, "flag == 1", {"flag": True}, False),
    (JS, "n == 1.0", {"n": 1}, True),
    (JS, "doc._id == 'a1'", {"doc": {"_id": "a1"}}, True),  # JSON answers' keys
    (JS, "a !== null || b", {"a": None, "b": 0}, 0),
    (JS, "parseInt(n) + 1", {"n": "41"}, 42),
    (JS, "parseFloat(x) * 2", {"x": "1.25"}, 2.5),
    (JS, "Number(x) > 10", {"x": "11"}, True),
    (JS, "String(n) + 'x'", {"n": 2.0}, "2x"),
    (JS, "'n=' + n", {"n": 2.0}, "n=2"),
    (JS, "'a' + null", {}, "anull"),
    (JS, "isNaN(x)", {"x": "abc"}, True),
    (JS, "7 / 2", {}, 3.5),
    (JS, "-7 % 3", {}, -1),
    (JS, "Math.round(2.5)", {}, 3),
    (JS, "Math.floor(x) + Math.ceil(x)", {"x": 2.5}, 5),
    (JS, "a > 1 ? (b ? 'x' : 'y') : 'z'", {"a": 2, "b": False}, "y"),
    (JS, "a ? b ? 1 : 2 : 3", {"a": True, "b": False}, 2),
    (JS, "/* the amount */ amount > 5 // large", {"amount": 6}, True),
    (JS, "order.total > 100", {"order": {"total": 150}}, True),
    # the native language: record fields, Python's qualified datetime names
    (NATIVE, "order.customer.phone", {"order": {"customer": {"phone": "123"}}}, "123"),
    (NATIVE, "datetime.timedelta(days=5)", {}, timedelta(days=5)),
    (NATIVE, "7 / 2", {}, 3.5),
    (NATIVE, "'a' if x else 'b'", {"x": 0}, "b"),
]


@pytest.mark.parametrize(("dialect", "text", "variables", "result"), ROWS)
def test_dialect_table(dialect: Dialect, text: str, variables: dict[str, Any], result: Any) -> None:
    value = parse(text, dialect=dialect).evaluate(variables)
    assert value == result
    assert type(value) is type(result)


def test_the_table_is_big_enough() -> None:
    assert len([r for r in ROWS if r[0] is not NATIVE]) >= 40


@pytest.mark.parametrize(
    ("dialect", "text", "message"),
    [
        (JAVA, "a.getClass()", "method 'getClass' is not available"),
        (JS, "a.constructor", "no field 'constructor'"),
        (JS, "new Date()", "invalid syntax"),
        (JS, "a = 1", "invalid syntax"),
        (JAVA, "Runtime.getRuntime()", "method 'getRuntime' is not available"),
        (JS, "a.__proto__", "field names starting with '__' are not allowed"),
        (JS, "__x", "names starting with '__' are reserved"),
        (NATIVE, "a.indexOf('x')", "method 'indexOf' is not available"),
        (JAVA, "Math.max", "is a function; call it with ()"),
    ],
)
def test_what_the_front_ends_refuse(dialect: Dialect, text: str, message: str) -> None:
    with pytest.raises((ExpressionSyntaxError, ExpressionEvaluationError)) as info:
        parse(text, dialect=dialect).evaluate({"a": "text"})
    assert message in info.value.message


def test_a_record_field_is_never_a_python_attribute() -> None:
    class Host:
        secret = "s3cret"

    with pytest.raises(ExpressionEvaluationError, match="no field 'secret'"):
        parse("h.secret").evaluate({"h": Host()})
    with pytest.raises(ExpressionEvaluationError, match="has no field 'missing'"):
        parse("r.missing").evaluate({"r": {"present": 1}})


def test_methods_check_what_they_are_called_on() -> None:
    with pytest.raises(ExpressionEvaluationError, match="not available on null"):
        parse("s.trim()", dialect=JAVA).evaluate({"s": None})
    with pytest.raises(ExpressionEvaluationError, match="outside a string of length 2"):
        parse("s.substring(1, 5)", dialect=JAVA).evaluate({"s": "ab"})


def test_aliases_let_a_text_use_a_field_name_for_its_id() -> None:
    expr = parse("Field == true;", dialect=JS, aliases={"Field": "_uKBcz3"})
    assert expr.names == frozenset({"_uKBcz3"})
    assert expr.evaluate({"_uKBcz3": True}) is True


def test_compatibility_characters_in_names_are_refused() -> None:
    for text in ("ｌｅｎ(x)", "ﬁle == 1"):
        with pytest.raises(ExpressionSyntaxError, match="compatibility characters"):
            parse(text)
    # names in any script that are already in normal form are fine
    assert parse("größe > 3").evaluate({"größe": 4}) is True


def test_string_building_is_charged_to_the_budget() -> None:
    with pytest.raises(ExpressionEvaluationError, match="budget"):
        parse("'x' + s + s", dialect=JS).evaluate({"s": "y" * 600_000})
    with pytest.raises(ExpressionEvaluationError, match="budget"):
        parse("'x' + list", dialect=JS).evaluate({"list": [[0] * 1000] * 1000})
