"""An index past the end of a list or text in Java or JavaScript, however large, names the
length in the dialect's words: Python's "cannot fit 'int' into an index-sized integer"
(``items[k]`` with ``k`` 1e20 or 2**63) or "list index out of range" told a modeller nothing
about the expression they wrote."""

from __future__ import annotations

import pytest

from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse

ITEMS = ["a", "b", "c"]


@pytest.mark.parametrize("k", [1e20, 2.0**63, 4.0, 3.0])
def test_a_javascript_whole_double_past_the_end_is_outside_the_list(k: float) -> None:
    with pytest.raises(ExpressionEvaluationError) as raised:
        parse("items[k]", dialect=Dialect.JAVASCRIPT).evaluate({"items": ITEMS, "k": k})
    message = str(raised.value)
    assert f"index {int(k)} is outside a list of length 3" in message
    assert "index-sized" not in message and "out of range" not in message


@pytest.mark.parametrize("dialect", [Dialect.JAVASCRIPT, Dialect.JAVA])
@pytest.mark.parametrize("k", [2**63, 10**30, 3])
def test_an_int_past_the_end_is_outside_the_list_or_text(dialect: Dialect, k: int) -> None:
    with pytest.raises(ExpressionEvaluationError, match=f"index {k} is outside a list of length 3"):
        parse("items[k]", dialect=dialect).evaluate({"items": ITEMS, "k": k})
    with pytest.raises(ExpressionEvaluationError, match=f"index {k} is outside a text of length 2"):
        parse("s[k]", dialect=dialect).evaluate({"s": "ab", "k": k})


def test_an_index_too_long_to_print_is_still_outside() -> None:
    with pytest.raises(ExpressionEvaluationError, match="of over 300 digits is outside a list"):
        parse("items[k]", dialect=Dialect.JAVA).evaluate({"items": ITEMS, "k": 10**5000})


@pytest.mark.parametrize("dialect", [Dialect.JAVASCRIPT, Dialect.JAVA])
def test_an_index_inside_still_reads_the_item(dialect: Dialect) -> None:
    assert parse("items[k]", dialect=dialect).evaluate({"items": ITEMS, "k": 2}) == "c"
