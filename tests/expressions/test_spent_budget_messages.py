"""When earlier parts of an evaluation spent its whole budget, the refusal says the budget is
spent, not that a value has "more than 0 elements" or a text is "longer than the 0
characters left". And the length of a container's text, worked out before printing it, is
refused as soon as the running length passes the budget: the work is bounded by the budget,
not by the container's length (``str(ints*1000)`` took 2 seconds to refuse)."""

from __future__ import annotations

import pytest

from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse, text_size
from wfengine.expressions.limits import LimitExceeded
from wfengine.expressions.shared_budget import SharedBudget
from wfengine.expressions.text_size import PYTHON, check_text_size

#: 999 integers of 1,205 digits each: ``ints*1000`` spends a million-element budget
INTS = [2**4000] * 999
SPENT = "the evaluation's budget is spent"


@pytest.mark.parametrize("text", ["sum(ints*1000)", "sorted(ints*1000)[0] > 0"])
def test_walking_a_value_once_the_budget_is_spent_says_so(text: str) -> None:
    with pytest.raises(ExpressionEvaluationError) as caught:
        parse(text).evaluate({"ints": INTS})
    message = str(caught.value)
    assert f"{SPENT} (earlier parts of the expression used it all)" in message
    assert "more than 0 elements" not in message


def test_printing_a_value_once_the_budget_is_spent_says_so() -> None:
    with pytest.raises(ExpressionEvaluationError) as caught:
        parse("len(str(ints*1000))").evaluate({"ints": INTS})
    message = str(caught.value)
    assert SPENT in message
    assert "0 characters" not in message


def test_a_scripts_spent_budget_is_named() -> None:
    with SharedBudget(1000, "what the script's earlier statements left of its budget") as b:
        b.remaining = 0
        with pytest.raises(ExpressionEvaluationError) as caught:
            parse("sum(y)").evaluate({"y": [1, 2]})
    named = "what the script's earlier statements left of its budget is nothing"
    assert f"{SPENT} ({named})" in str(caught.value)


def test_a_budget_not_spent_is_still_given_in_the_message() -> None:
    with pytest.raises(ExpressionEvaluationError, match="longer than the 990000 characters"):
        parse("len(str(ints*10))").evaluate({"ints": INTS})


@pytest.fixture
def digits_counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The integers whose printed width the text check worked out (children it visited)."""
    seen: list[int] = []
    real = text_size.int_digits

    def counting(value: int) -> int:
        seen.append(value)
        return real(value)

    monkeypatch.setattr(text_size, "int_digits", counting)
    return seen


@pytest.mark.parametrize(
    "value",
    [
        [2**4000] * 10_000,  # 1,205 digits each: the 42nd passes 50,000
        [[2**4000] * 100] * 100,  # a part repeated: measured once, counted each time
        {i: 2**4000 for i in range(10_000)},  # keys are cheap, values are not
    ],
    ids=["list", "repeated-part", "dict"],
)
def test_the_text_check_stops_at_the_budget(digits_counted: list[int], value: object) -> None:
    with pytest.raises(LimitExceeded, match="longer than the 50000 characters left"):
        check_text_size(value, 50_000, PYTHON)
    assert len(digits_counted) <= 100  # of 10,000: about as many as pass the budget


def test_a_spent_budget_visits_no_child(digits_counted: list[int]) -> None:
    with pytest.raises(LimitExceeded, match=SPENT):
        check_text_size([2**4000] * 1000, 0, PYTHON)
    assert digits_counted == []


def test_a_text_that_fits_exactly_passes() -> None:
    check_text_size([1, [22, "a"], {3: None}], len(str([1, [22, "a"], {3: None}])), PYTHON)
    with pytest.raises(LimitExceeded):
        check_text_size([1, [22, "a"], {3: None}], len(str([1, [22, "a"], {3: None}])) - 1, PYTHON)


def test_javascript_nulls_still_count_as_nothing() -> None:
    exact = parse("String(x)", dialect=Dialect.JAVASCRIPT)
    assert exact.evaluate({"x": [None] * 50 + [1]}) == "," * 50 + "1"
