"""``items.get(i)`` (a Java list's ``get``, which the JavaScript dialect reads too) was Python's
``items[i]``: ``items.get(n - 1)`` with ``n`` 0 silently read the last item, ``items.get(true)``
the second, and an index past the end said "list index out of range", as a literal index past
the end (``items[5]``) did, without the length the dialects promise. ``get`` and every
subscript now index as ``items[n - 1]`` already did: from 0 only, no boolean, each index out
of range an incident naming the length; a record's ``get`` is still null when absent."""

from __future__ import annotations

import pytest

from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse

DIALECTS = [Dialect.JAVASCRIPT, Dialect.JAVA]
DATA = {"items": [10, 20, 30], "n": 0, "k": 10**20, "s": "abc", "rec": {"a": 1}}


def _value(dialect: Dialect, text: str) -> object:
    return parse(text, dialect=dialect).evaluate(DATA)


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(
    ("text", "index"),
    [("items.get(n - 1)", -1), ("items.get(5)", 5), ("items.get(k)", 10**20), ("items[5]", 5)],
)
def test_an_index_outside_the_list_is_an_incident_naming_the_length(
    dialect: Dialect, text: str, index: int
) -> None:
    with pytest.raises(
        ExpressionEvaluationError, match=rf"index {index} is outside a list of length 3"
    ):
        _value(dialect, text)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_literal_index_past_the_end_of_a_text_names_its_length(dialect: Dialect) -> None:
    with pytest.raises(ExpressionEvaluationError, match=r"index 5 is outside a text of length 3"):
        _value(dialect, "s[5]")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_boolean_is_no_index_for_get(dialect: Dialect) -> None:
    with pytest.raises(ExpressionEvaluationError, match=r"index is a number, not boolean"):
        _value(dialect, "items.get(true)")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_get_inside_the_list_and_on_records_reads_as_before(dialect: Dialect) -> None:
    assert _value(dialect, "items.get(0) + items.get(2) + items[1]") == 60
    assert _value(dialect, "rec.get('a')") == 1
    assert _value(dialect, "rec.get('b')") is None
    assert _value(dialect, "rec['a']") == 1


def test_javascript_reads_a_whole_double_as_its_index_in_get_too() -> None:
    assert (
        parse("items.get(n / 2)", dialect=Dialect.JAVASCRIPT).evaluate({"items": [1, 2, 3], "n": 4})
        == 3
    )
    with pytest.raises(ExpressionEvaluationError, match=r"Math\.round"):
        parse("items.get(n / 2)", dialect=Dialect.JAVA).evaluate({"items": [1, 2, 3], "n": 4.0})
