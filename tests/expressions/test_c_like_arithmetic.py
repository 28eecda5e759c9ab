"""Java and JavaScript arithmetic takes numbers: never Python's repetition or list sums.

A STRING field ``qty = "5"`` once made ``total = qty * 2`` store ``55`` in a JavaScript or Java
package ('5' repeated twice, then read as a number). Neither language gives that: Java does
not compile it, JavaScript gives 10. The sandbox refuses it, naming the operator and types.
"""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse

JS = Dialect.JAVASCRIPT
JAVA = Dialect.JAVA
C_LIKE = pytest.mark.parametrize("dialect", [JS, JAVA])


@C_LIKE
@pytest.mark.parametrize(
    ("text", "values", "words"),
    [
        ('"5" * 2', {}, "'*' in {lang} takes numbers, not text and integer"),
        ("qty * 3", {"qty": "5"}, "'*' in {lang} takes numbers, not text and integer"),
        ("3 * qty", {"qty": "5"}, "not integer and text"),
        ("[1, 2] * 2", {}, "'*' in {lang} takes numbers, not list and integer"),
        ("[1] + [2]", {}, "'+' in {lang} takes numbers, not list and list"),
        ("r * 2", {"r": {"a": 1}}, "not record and integer"),
        ("n * 2", {"n": None}, "not null and integer"),
        ('"7" - 2', {}, "'-' in {lang} takes numbers, not text and integer"),
        ('"8" / 2', {}, "'/' in {lang} takes numbers"),
    ],
)
def test_arithmetic_on_text_or_lists_is_refused(
    dialect: Dialect, text: str, values: dict[str, Any], words: str
) -> None:
    lang = "Java" if dialect is JAVA else "JavaScript"
    with pytest.raises(ExpressionEvaluationError) as info:
        parse(text, dialect=dialect).evaluate(values)
    assert words.format(lang=lang) in info.value.message


@pytest.mark.parametrize("text", ["true + 1", "flag * 10", "flag - 1", "1 / flag"])
def test_java_refuses_boolean_arithmetic(text: str) -> None:
    with pytest.raises(ExpressionEvaluationError, match="in Java takes numbers, not"):
        parse(text, dialect=JAVA).evaluate({"flag": True})


@pytest.mark.parametrize(
    ("text", "value"),
    [("true + 1", 2), ("flag * 10", 10), ("Number(qty) * 2", 10), ("parseInt(qty) * 2", 10)],
)
def test_javascript_booleans_and_converted_text_are_numbers(text: str, value: Any) -> None:
    assert parse(text, dialect=JS).evaluate({"flag": True, "qty": "5"}) == value


@C_LIKE
@pytest.mark.parametrize(
    ("text", "value"),
    [("6 * 7", 42), ("1.5 * 2", 3.0), ("10 - 4", 6), ('"n=" + 5', "n=5"), ("2 + 3", 5)],
)
def test_numbers_still_compute_and_text_still_concatenates(
    dialect: Dialect, text: str, value: Any
) -> None:
    assert parse(text, dialect=dialect).evaluate({}) == value


def test_the_native_language_keeps_python_operators() -> None:
    assert parse("'ab' * 2").evaluate({}) == "abab"
    assert parse("[1] + [2]").evaluate({}) == [1, 2]


@pytest.mark.parametrize("language", ["text/javascript", "java"])
def test_a_script_multiplying_a_text_field_stops_in_an_incident(language: str) -> None:
    engine = Engine(clock=VirtualClock())
    builder = PackageBuilder("pkg", script=language)
    proc = builder.process("main")
    proc.data_field("qty", "STRING", initial='"5"')
    proc.data_field("total", "INTEGER")
    proc.activity("calc", script="total = qty * 2")
    engine.deploy(builder.build())
    iid = engine.start_process("main")
    assert engine.instance(iid).data["total"] is None  # not 55
    [incident] = engine.incidents(iid)
    assert "'*' in" in incident.message and "not text and integer" in incident.message
