"""Comparisons do not chain in Java or JavaScript: ``0 <= amount <= 100`` is
``(0 <= amount) <= 100`` there (Java does not compile it; JavaScript orders true or false as
1 or 0, so it holds for every amount). The front ends read it neither as Python's range test
nor as JavaScript's always-true: they refuse it (``expression-foreign`` at deploy time) and
say how to write the range. Equality chains (``a == b == true``) are well-formed in both
languages and fold left, as there. The native language keeps Python's chaining."""

from __future__ import annotations

from typing import Any

import pytest

from tests.definition.test_validation import field, one, pkg, sequence_process, tr
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Script
from wfengine.definition.validation import validate
from wfengine.errors import ExpressionSyntaxError
from wfengine.expressions import Dialect, parse

C_LIKE = (Dialect.JAVASCRIPT, Dialect.JAVA)


@pytest.mark.parametrize("dialect", C_LIKE)
@pytest.mark.parametrize(
    "text",
    ["0 <= amount <= 100", "1 < amount < 5", "amount > 1 > 0", "a == 0 < b < c", "(1 < a) < 5"],
)
def test_ordering_a_comparison_is_refused(dialect: Dialect, text: str) -> None:
    with pytest.raises(ExpressionSyntaxError) as raised:
        parse(text, dialect=dialect)
    assert "true or false" in str(raised.value)


@pytest.mark.parametrize("dialect", C_LIKE)
def test_the_refusal_says_how_to_write_the_range(dialect: Dialect) -> None:
    with pytest.raises(ExpressionSyntaxError) as raised:
        parse("0 <= amount <= 100", dialect=dialect)
    message = str(raised.value)
    assert "comparisons do not chain" in message
    assert "'0 <= amount && amount <= 100'" in message


ROWS: list[tuple[str, dict[str, Any], bool]] = [
    ("a == b == true", {"a": 5, "b": 5}, True),  # (a == b) == true
    ("a == b == true", {"a": 5, "b": 6}, False),
    ("a == b == false", {"a": 5, "b": 6}, True),  # Python's chain said false
    ("a != b != c", {"a": 1, "b": 2, "c": 1}, True),  # (true) != 1: no number is a boolean
    ("a === b === c", {"a": 1, "b": 1, "c": 1}, False),  # true === 1 is false
    ("a < b == true", {"a": 1, "b": 2}, True),
    ("a > b == flag", {"a": 1, "b": 2, "flag": False}, True),
]


@pytest.mark.parametrize("dialect", C_LIKE)
@pytest.mark.parametrize(("text", "variables", "expected"), ROWS)
def test_equality_chains_fold_left(
    dialect: Dialect, text: str, variables: dict[str, Any], expected: bool
) -> None:
    assert parse(text, dialect=dialect).evaluate(variables) is expected


def test_native_chains_stay_python_range_tests() -> None:
    assert parse("0 <= amount <= 100").evaluate({"amount": 150}) is False
    assert parse("0 <= amount <= 100").evaluate({"amount": 50}) is True


def test_a_javascript_range_chain_is_a_deploy_warning() -> None:
    process = sequence_process(
        data_fields=(field("amount"),),
        transitions=(tr("t1", "start", "work", "0 <= amount <= 100"), tr("t2", "work", "end")),
    )
    found = validate(pkg(process, script=Script(type="text/javascript")))
    d = one(found, "expression-foreign")
    assert (d.severity, d.element_id) == (Severity.WARNING, "t1")
    assert "0 <= amount && amount <= 100" in d.message
