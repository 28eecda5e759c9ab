"""String methods of the Java and JavaScript front ends, as those languages give them (checked
against OpenJDK 17 and node 20): ``compareTo`` gave only the sign (Java: the difference of the
first characters that differ, or of the lengths); ``equalsIgnoreCase`` and
``compareToIgnoreCase`` folded whole texts as Python's ``casefold`` (``"Straße"`` equalled
``"STRASSE"``; Java compares character by character); ``trim`` stripped every Unicode space
(Java strips up to U+0020, JavaScript its own set with U+FEFF); ``'abc'.indexOf('', 10)`` was
-1 (both: 3); and JavaScript printed a null in a list as ``null`` (``'v=' + [null, 1]`` is
``v=,1`` there)."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.expressions import Dialect, Limits, parse

JS = Dialect.JAVASCRIPT
JAVA = Dialect.JAVA


def _value(dialect: Dialect, text: str, **values: Any) -> Any:
    return parse(text, dialect=dialect).evaluate(values)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"c".compareTo("a")', 2),
        ('"a".compareTo("B")', 31),
        ('"abc".compareTo("ab")', 1),
        ('"ab".compareTo("abcd")', -2),
        ('"same".compareTo("same")', 0),
        ("a.compareTo(b)", 1),  # numbers: the sign, as Integer.compareTo gives it
        ('"Straße".equalsIgnoreCase("STRASSE")', False),
        ('"ﬁ".equalsIgnoreCase("FI")', False),
        ('"ǅ".equalsIgnoreCase("ǆ")', True),
        ('"Ab".equalsIgnoreCase("aB")', True),
        ('"ß".compareToIgnoreCase("ss")', 108),
        ('"Ab".compareToIgnoreCase("aC")', -1),
        ('"é".compareToIgnoreCase("É")', 0),
        ('"İSTANBUL".equalsIgnoreCase("istanbul")', True),  # (Java's simple lower case of İ)
        ('"İ".compareToIgnoreCase("i")', 0),
    ],
)
def test_java_comparisons_of_text(text: str, expected: Any) -> None:
    result = _value(JAVA, text, a=10, b=3)
    assert result == expected and type(result) is type(expected)


def test_compare_to_of_long_texts_finds_the_first_difference() -> None:
    a = "x" * 100_000 + "b" + "x" * 10
    assert _value(JAVA, "a.compareTo(b)", a=a, b="x" * 100_000 + "a") == 1
    assert _value(JAVA, "a.compareTo(b)", a=a, b=a + "yy") == -2


@pytest.mark.parametrize(
    ("dialect", "text", "length"),
    [
        (JAVA, "\u00a0 a \u2003", 5),  # Java strips only what is up to U+0020
        (JAVA, "\x1c a \x1f\x00", 1),
        (JS, "\ufeff a \u00a0\u3000", 1),
        (JS, "\x1c a \x1f", 5),  # not whitespace to JavaScript
        (JS, "\u2028\t a \n\u2009", 1),
    ],
)
def test_trim_strips_what_the_language_strips(dialect: Dialect, text: str, length: int) -> None:
    assert len(_value(dialect, "s.trim()", s=text)) == length


@pytest.mark.parametrize("dialect", [JS, JAVA])
def test_index_of_from_past_the_end(dialect: Dialect) -> None:
    assert _value(dialect, "s.indexOf('', 10)", s="abc") == 3
    assert _value(dialect, "s.indexOf('c', 10)", s="abc") == -1
    assert _value(dialect, "s.indexOf('c', -3)", s="abc") == 2


def test_javascript_prints_a_null_in_a_list_as_nothing() -> None:
    assert _value(JS, "'v=' + x", x=[None, 1]) == "v=,1"
    assert _value(JS, "'v=' + x", x=[[None], [1, None]]) == "v=,1,"
    assert _value(JS, "String(x)", x=[None]) == ""
    assert _value(JAVA, '"v=" + x', x=["a", None]) == "v=[a, null]"


def test_a_list_of_nulls_fits_a_budget_of_its_own_length() -> None:
    """The length worked out before printing (:mod:`wfengine.expressions.text_size`) counts
    a null in a JavaScript list as nothing too, so a budget of the text's length suffices."""
    value = [None, 1, [None, None], None]
    exact = parse("String(x)", dialect=JS, limits=Limits(max_work=5))
    assert exact.evaluate({"x": value}) == ",1,,,"
