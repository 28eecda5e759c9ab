"""Python's keywords are plain names in Java and JavaScript: a data field called ``from``,
``pass`` or ``None`` is read as that field there (Python's parser refused the first two, and
read ``None``, ``True`` and ``False`` as its literals). Only ``true``, ``false`` and ``null`` are
literals in those dialects. The native language keeps Python's keywords."""

from __future__ import annotations

from typing import Any

import pytest

from tests.definition.test_validation import codes, field, pkg, sequence_process, tr
from wfengine.definition.model import Script
from wfengine.definition.validation import validate
from wfengine.errors import ExpressionEvaluationError, ExpressionSyntaxError
from wfengine.expressions import Dialect, parse

C_LIKE = (Dialect.JAVASCRIPT, Dialect.JAVA)
KEYWORDS = ["from", "is", "as", "pass", "def", "global", "del", "except", "raise", "lambda"]
KEYWORDS += ["and", "or", "not", "None", "True", "False", "with", "async", "nonlocal", "elif"]


@pytest.mark.parametrize("dialect", C_LIKE)
@pytest.mark.parametrize("name", KEYWORDS)
def test_a_field_named_with_a_python_keyword_is_read(dialect: Dialect, name: str) -> None:
    expression = parse(f'{name} == "x"', dialect=dialect)
    assert expression.names == frozenset({name})
    assert expression.evaluate({name: "x"}) is True
    assert expression.evaluate({name: "y"}) is False


ROWS: list[tuple[Dialect, str, dict[str, Any], Any]] = [
    (Dialect.JAVA, 'pass.equals("x")', {"pass": "x"}, True),
    (Dialect.JAVA, "None == null", {"None": None}, True),
    (Dialect.JAVASCRIPT, "True && !False", {"True": 0, "False": 0}, 0),
    (Dialect.JAVASCRIPT, "route.from + '-' + route.as", {"route": {"from": "a", "as": "b"}}, "a-b"),
    (Dialect.JAVASCRIPT, "!not", {"not": False}, True),
    (Dialect.JAVASCRIPT, "x not in xs", {"x": 1, "xs": [2]}, True),  # the operator stays
    (Dialect.JAVASCRIPT, "is ? def : lambda", {"is": 1, "def": "d", "lambda": "l"}, "d"),
    (Dialect.JAVASCRIPT, "items[from]", {"items": ["a", "b"], "from": 1}, "b"),
    (Dialect.JAVASCRIPT, "a == null && b", {"a": None, "b": True}, True),  # null is the literal
]


@pytest.mark.parametrize(("dialect", "text", "variables", "expected"), ROWS)
def test_keyword_names_in_expressions(
    dialect: Dialect, text: str, variables: dict[str, Any], expected: Any
) -> None:
    assert parse(text, dialect=dialect).evaluate(variables) == expected


def test_a_missing_keyword_field_is_named_as_written() -> None:
    with pytest.raises(ExpressionEvaluationError, match="unknown variable 'from'"):
        parse("from > 1", dialect=Dialect.JAVASCRIPT).evaluate({})


@pytest.mark.parametrize("dialect", [*C_LIKE, Dialect.NATIVE])
@pytest.mark.parametrize("text", ["__kw_from == 1", "x.__kw_from", "__kw_x"])
def test_the_renaming_cannot_be_written(dialect: Dialect, text: str) -> None:
    with pytest.raises(ExpressionSyntaxError, match="starting with '__'"):
        parse(text, dialect=dialect)


def test_the_native_language_keeps_python_keywords() -> None:
    assert parse("None is None and not False").evaluate({}) is True
    with pytest.raises(ExpressionSyntaxError):
        parse("from == 1")


def test_a_javascript_field_named_from_deploys_without_warning() -> None:
    process = sequence_process(
        data_fields=(field("from"),),
        transitions=(tr("t1", "start", "work", 'from == "boss"'), tr("t2", "work", "end")),
    )
    found = codes(validate(pkg(process, script=Script(type="text/javascript"))))
    assert not {"expression-foreign", "expression-syntax", "expression-unknown-name"} & found


@pytest.mark.parametrize("dialect", C_LIKE)
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x is null", "'is' is a plain name in"),
        ("a and b", "write '&&'"),
        ("a or b", "write '||'"),
        ("not x", "write '!'"),
        ("None is x", "write '=='"),  # the culprit is 'is', not the name None
        ("lambda: 1", "lambda functions are not allowed"),  # Python's construct, named
        ("x is 5", "'is' compares identity"),
    ],
)
def test_python_keywords_written_as_syntax_are_refused_by_name(
    dialect: Dialect, text: str, message: str
) -> None:
    with pytest.raises(ExpressionSyntaxError) as raised:
        parse(text, dialect=dialect)
    assert message in raised.value.message
