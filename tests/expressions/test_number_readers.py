"""The number readers read as their languages do: JavaScript's ``isNaN(x)`` is whether
``Number(x)`` is NaN; Java's ``Integer.parseInt``, ``Long.parseLong``, ``Double.parseDouble``
and ``Boolean.parseBoolean`` are as strict as Java's (a text Java refuses is an evaluation
error, an incident, not a number Python's ``int()`` or ``float()`` would make of it)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse

JS = Dialect.JAVASCRIPT
JAVA = Dialect.JAVA


@pytest.mark.parametrize(
    ("value", "nan"),
    [
        ("", False),
        (None, False),
        ("0x10", False),
        (" 12 ", False),
        ("1e3", False),
        ("Infinity", False),
        (True, False),
        ("1_000", True),
        ("inf", True),
        ("nan", True),
        ("12px", True),
        ("abc", True),
        (float("nan"), True),
    ],
)
def test_javascript_is_nan_is_number_giving_nan(value: Any, nan: bool) -> None:
    assert parse("isNaN(x)", dialect=JS).evaluate({"x": value}) is nan
    number = parse("Number(x)", dialect=JS).evaluate({"x": value})
    assert (isinstance(number, float) and math.isnan(number)) is nan


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Integer.parseInt(x)", "1_000"),
        ("Integer.parseInt(x)", " 42 "),
        ("Integer.parseInt(x)", "42 "),
        ("Integer.parseInt(x)", ""),
        ("Integer.parseInt(x)", "-"),
        ("Integer.parseInt(x, 16)", "0x1F"),
        ("Long.parseLong(x, 2)", "0b101"),
        ("Integer.valueOf(x, 8)", "0o17"),
        ("Double.parseDouble(x)", "nan"),
        ("Double.parseDouble(x)", "inf"),
        ("Double.parseDouble(x)", "infinity"),
        ("Double.parseDouble(x)", "1_000.5"),
        ("Double.parseDouble(x)", ""),
        ("Float.parseFloat(x)", "1.5dd"),
    ],
)
def test_java_refuses_what_java_refuses(text: str, value: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match="NumberFormatException"):
        parse(text, dialect=JAVA).evaluate({"x": value})


@pytest.mark.parametrize(
    ("text", "value", "result"),
    [
        ("Integer.parseInt(x)", "-12", -12),
        ("Integer.parseInt(x)", "+7", 7),
        ("Integer.parseInt(x, 16)", "1F", 31),
        ("Integer.parseInt(x, 36)", "0x1F", 42819),  # x is a digit in radix 36
        ("Long.parseLong(x, 2)", "101", 5),
        ("Double.parseDouble(x)", " 2.5 ", 2.5),  # Java trims here
        ("Double.parseDouble(x)", "1e3d", 1000.0),
        ("Double.parseDouble(x)", ".5f", 0.5),
        ("Double.parseDouble(x)", "-Infinity", -math.inf),
        ("Double.parseDouble(x)", "0x1.8p1", 3.0),
        ("Boolean.parseBoolean(x)", "TrUe", True),
        ("Boolean.parseBoolean(x)", " true", False),
        ("Boolean.parseBoolean(x)", "true ", False),
        ("Boolean.parseBoolean(x)", "yes", False),
    ],
)
def test_java_reads_what_java_reads(text: str, value: str, result: Any) -> None:
    found = parse(text, dialect=JAVA).evaluate({"x": value})
    assert found == result and type(found) is type(result)


def test_java_reads_nan_as_java_spells_it() -> None:
    assert math.isnan(parse("Double.parseDouble('NaN')", dialect=JAVA).evaluate({}))
