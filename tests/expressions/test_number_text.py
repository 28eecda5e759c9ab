"""The Java and JavaScript front ends print numbers as those languages do (``"n=" + x``), see
:mod:`wfengine.expressions.number_text`; dividing by zero stays an error (a deliberate
difference, see :mod:`wfengine.expressions.dialects`).

The tables were printed by Node.js (``String(x)``) and by Java's ``Double.toString`` (the JDK
19 specification: shortest digits; older JDKs print more digits for some, such as
``1.9999999999999998E23`` for ``2e23``).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse
from wfengine.expressions.number_text import java_double_text, javascript_number_text

#: (value, JavaScript's String(value), Java's Double.toString(value))
KNOWN = [
    (0.00001, "0.00001", "1.0E-5"),
    (0.000001, "0.000001", "1.0E-6"),
    (1e-7, "1e-7", "1.0E-7"),
    (2.5e-8, "2.5e-8", "2.5E-8"),
    (1.25e-6, "0.00000125", "1.25E-6"),
    (0.0001, "0.0001", "1.0E-4"),
    (0.0009999, "0.0009999", "9.999E-4"),
    (0.001, "0.001", "0.001"),
    (0.5, "0.5", "0.5"),
    (1.0, "1", "1.0"),
    (2.0, "2", "2.0"),
    (-1.5, "-1.5", "-1.5"),
    (4.35, "4.35", "4.35"),
    (100.0, "100", "100.0"),
    (123.456, "123.456", "123.456"),
    (0.1 + 0.2, "0.30000000000000004", "0.30000000000000004"),
    (1 / 3, "0.3333333333333333", "0.3333333333333333"),
    (1234567.0, "1234567", "1234567.0"),
    (9999999.999999998, "9999999.999999998", "9999999.999999998"),
    (1e7, "10000000", "1.0E7"),
    (123456789.0, "123456789", "1.23456789E8"),
    (1e16, "10000000000000000", "1.0E16"),
    (2.0**60, "1152921504606847000", "1.152921504606847E18"),
    (1e20, "100000000000000000000", "1.0E20"),
    (123456789012345680000.0, "123456789012345680000", "1.2345678901234568E20"),
    (1e21, "1e+21", "1.0E21"),
    (1.5e21, "1.5e+21", "1.5E21"),
    (2e23, "2e+23", "2.0E23"),
    (1.23e-18, "1.23e-18", "1.23E-18"),
    (5e-324, "5e-324", "4.9E-324"),
    (2.2250738585072014e-308, "2.2250738585072014e-308", "2.2250738585072014E-308"),
    (1.7976931348623157e308, "1.7976931348623157e+308", "1.7976931348623157E308"),
    (0.0, "0", "0.0"),
    (-0.0, "0", "-0.0"),
    (math.inf, "Infinity", "Infinity"),
    (-math.inf, "-Infinity", "-Infinity"),
    (math.nan, "NaN", "NaN"),
]


@pytest.mark.parametrize(("value", "javascript", "java"), KNOWN, ids=repr)
def test_numbers_print_as_the_languages_print_them(
    value: float, javascript: str, java: str
) -> None:
    assert javascript_number_text(value) == javascript
    assert java_double_text(value) == java


@pytest.mark.parametrize(
    ("dialect", "text", "expected"),
    [
        (Dialect.JAVASCRIPT, '"" + 0.00001', "0.00001"),
        (Dialect.JAVASCRIPT, '"" + 1e-7', "1e-7"),
        (Dialect.JAVASCRIPT, "String(2.5e-8)", "2.5e-8"),
        (Dialect.JAVASCRIPT, '"n=" + 2.0', "n=2"),
        (Dialect.JAVA, '"" + 0.00001', "1.0E-5"),
        (Dialect.JAVA, '"" + 1e7', "1.0E7"),
        (Dialect.JAVA, '"n=" + 100.0', "n=100.0"),
        (Dialect.JAVA, "String.valueOf(0.001)", "0.001"),
    ],
)
def test_concatenation_prints_numbers_as_the_language_does(
    dialect: Dialect, text: str, expected: str
) -> None:
    assert parse(text, dialect=dialect).evaluate({}) == expected


def test_a_condition_comparing_a_number_s_text_takes_the_javascript_way() -> None:
    assert parse('("" + rate) == "0.00005"', dialect=Dialect.JAVASCRIPT).evaluate({"rate": 5e-5})


_FINITE = st.floats(allow_nan=False, allow_infinity=False)


@given(_FINITE)
def test_javascript_text_reads_back_as_the_same_number(value: float) -> None:
    text = javascript_number_text(value)
    assert float(text) == value
    if "e" not in text:  # plain digits only between 1e-7 and 1e21
        assert value == 0 or 1e-7 < abs(value) < 1e21
    assert not text.endswith(".0") and "e+0" not in text and "e-0" not in text


@given(_FINITE)
def test_java_text_reads_back_as_the_same_number(value: float) -> None:
    text = java_double_text(value)
    assert float(text) == value
    mantissa = text.split("E")[0]
    assert "." in mantissa and not mantissa.endswith(".")
    assert ("E" not in text) == (value == 0 or 1e-3 <= abs(value) < 1e7)


@pytest.mark.parametrize("dialect", [Dialect.JAVASCRIPT, Dialect.JAVA])
@pytest.mark.parametrize("text", ["x / 0", "x % 0", "y / 0", "y % 0.0", "0 / 0", "x / 0 > 5"])
def test_dividing_by_zero_is_an_error_not_infinity(dialect: Dialect, text: str) -> None:
    # a deliberate difference (see wfengine.expressions.dialects): the instance gets an
    # incident naming the division, where JavaScript would give Infinity or NaN
    with pytest.raises(ExpressionEvaluationError, match=r"^division by zero"):
        parse(text, dialect=dialect).evaluate({"x": 10, "y": 2.5})
