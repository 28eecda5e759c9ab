"""A deployment an earlier wfengine stored keeps every expression reading this wfengine changed.

Migration 0026 marks such deployments (``deployments.reads_expressions_as_before``) and their
literals and ``Math`` calls read as then, but Java's ``c ? 10 : 7.5`` promotion, ``compareTo``
(the difference, not the sign), ``equalsIgnoreCase``/``compareToIgnoreCase`` (character by
character), ``trim`` (each language's set), ``indexOf('', n)`` past the end and JavaScript's
printing of a null in a list read the new way: in-flight instances took the other branch
after ``wfengine db upgrade``, with no word. Now each reads as then in a stored deployment,
with a note naming the text where the two readings can differ, and as the language reads it
everywhere else."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from wfengine.expressions import Dialect, parse
from wfengine.expressions.expression import build_expression
from wfengine.expressions.limits import Limits
from wfengine.expressions.name_spelling import composing_stored_names
from wfengine.expressions.stored_reading import StoredNote, noting_stored_readings

JS, JAVA = Dialect.JAVASCRIPT, Dialect.JAVA

#: (dialect, condition, values, as stored then, as a new definition now, words of the note)
CASES: dict[str, tuple[Dialect, str, dict[str, Any], Any, Any, str]] = {
    "java-conditional": (JAVA, "(vip ? 10 : 7.5) / 4", {"vip": True}, 2, 2.5, "keeps an int"),
    "java-conditional-sum": (
        JAVA,
        '"" + (vip ? 1 : 0.1 + 0.2)',
        {"vip": True},
        "1",
        "1.0",
        "keeps an int",
    ),
    "compareTo": (JAVA, "a.compareTo(b)", {"a": "c", "b": "a"}, 1, 2, "compareTo()"),
    "equalsIgnoreCase": (
        JAVA,
        "a.equalsIgnoreCase(b)",
        {"a": "Straße", "b": "STRASSE"},
        True,
        False,
        "equalsIgnoreCase()",
    ),
    "compareToIgnoreCase": (
        JAVA,
        "a.compareToIgnoreCase(b)",
        {"a": "c", "b": "A"},
        1,
        2,
        "compareToIgnoreCase()",
    ),
    "java-trim": (JAVA, "s.trim()", {"s": "\u00a0x"}, "x", "\u00a0x", "trim()"),
    "js-trim": (JS, "s.trim()", {"s": "\ufeffx\u001c"}, "\ufeffx", "x\u001c", "trim()"),
    "js-indexOf": (JS, "s.indexOf('', 10)", {"s": "abc"}, -1, 3, "indexOf()"),
    "js-null-in-list": (JS, "'v=' + items", {"items": [None, 1]}, "v=null,1", "v=,1", "null"),
    "js-null-String": (JS, "String(items)", {"items": [None]}, "null", "", "null"),
}


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    build_expression.cache_clear()  # (each test sees its notes made, not only cached)
    yield
    build_expression.cache_clear()


def _stored(text: str, dialect: Dialect) -> tuple[Any, list[StoredNote]]:
    with composing_stored_names(), noting_stored_readings() as notes:
        expression = build_expression(text, Limits(), dialect, ())
    return expression, sorted(notes)


@pytest.mark.parametrize("case", list(CASES))
def test_a_stored_deployment_reads_as_then_and_notes_the_text(case: str) -> None:
    dialect, text, values, then, now, said = CASES[case]
    for _ in range(2):  # a second engine reading it takes the parse from the cache
        expression, notes = _stored(text, dialect)
        assert expression.evaluate(values) == then
        [note] = notes
        assert repr(text) in str(note) and said in str(note)
    assert parse(text, dialect=dialect).evaluate(values) == now  # a new definition's


@pytest.mark.parametrize(
    ("dialect", "text"),
    [
        (JAVA, "a.compareTo(b) < 0"),  # only the sign is read: alike
        (JAVA, "0 != a.compareTo(b)"),
        (JS, "s.indexOf('b', 10) == -1"),  # a text that is not empty: never found past the end
        (JS, "s.indexOf('')"),  # no start
        (JAVA, "(vip ? 10 : 7) / 4"),  # two ints: nothing widened
        (JS, "'v=' + 5"),  # nothing printed can be a list
        (JAVA, "'v=' + items"),  # Java prints null as null either way
    ],
)
def test_no_note_where_both_readings_agree(dialect: Dialect, text: str) -> None:
    assert _stored(text, dialect)[1] == []


def test_a_note_leaves_the_fields_it_depends_on_to_the_compiler() -> None:
    [math] = _stored("Math.max(n1, 2.5)", JS)[1]
    assert (math.fields, math.agrees) == (("n1",), "number-or-time")
    [printed] = _stored("'v=' + items", JS)[1]
    assert (printed.fields, printed.agrees) == (("items",), "single")
    [member] = _stored("'v=' + order.items", JS)[1]  # a record's member: always said
    assert member.fields == ()
    assert _stored("Math.max(1, 2.5)", JS)[1] == []


@pytest.mark.parametrize(
    ("dialect", "text"),
    [
        (JAVA, "a.compareToIgnoreCase(b) == 0"),  # Straße and STRASSE: equal then, not now
        (JAVA, "a.compareToIgnoreCase(b) < 0"),
        (JS, "s.indexOf('', 10) >= 0"),  # -1 then, 3 now
        (JS, "s.indexOf('', n) != 0"),
    ],
)
def test_a_changed_method_compared_with_0_is_noted_but_compare_to(
    dialect: Dialect, text: str
) -> None:
    """Only ``compareTo``'s sign reads alike; the others differ compared with 0 too, and went
    unnoted: a redeployed version then took the other way unannounced."""
    assert len(_stored(text, dialect)[1]) == 1
