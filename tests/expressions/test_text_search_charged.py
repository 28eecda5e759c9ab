"""Searching and comparing long text is charged its length
(:func:`wfengine.expressions.context.charge_text`): ``'ab' in xs`` over a 900,000-character
text walked it at no charge, so a loop taking such a condition every round ran until
``max_steps`` (about 49 minutes) whatever ``RuntimeLimits.max_run_work`` said, and a
2,000,000-character search passed the 1,000,000 budget of one evaluation that a list of the
same size does not. Text up to ``FREE_TEXT`` characters stays free (nearly every condition)."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, ProcessState, RuntimeLimits, VirtualClock
from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, Limits, parse
from wfengine.expressions.context import FREE_TEXT

LONG = "x" * 2_000_000
OVER_BUDGET = [
    (Dialect.NATIVE, "'ab' in text"),
    (Dialect.NATIVE, "'ab' not in text"),
    (Dialect.NATIVE, "text == other"),
    (Dialect.NATIVE, "text < other"),
    (Dialect.JAVASCRIPT, "text.indexOf('ab') >= 0"),
    (Dialect.JAVASCRIPT, "text.lastIndexOf('ab') >= 0"),
    (Dialect.JAVASCRIPT, "text == other"),
    (Dialect.JAVA, 'text.contains("ab")'),
    (Dialect.JAVA, "text.equals(other)"),
]


@pytest.mark.parametrize(("dialect", "source"), OVER_BUDGET)
def test_a_search_or_comparison_through_text_past_the_budget_is_refused(
    dialect: Dialect, source: str
) -> None:
    expr = parse(source, dialect=dialect)
    with pytest.raises(ExpressionEvaluationError, match="needed 2000000 more"):
        expr.evaluate({"text": LONG, "other": LONG})


@pytest.mark.parametrize(("dialect", "source"), OVER_BUDGET)
def test_text_within_the_budget_is_searched_and_compared_as_before(
    dialect: Dialect, source: str
) -> None:
    values = {"text": "x" * 5_000, "other": "x" * 5_000}
    expected = {"'ab' not in text": True, "text == other": True, "text.equals(other)": True}
    assert parse(source, dialect=dialect).evaluate(values) is expected.get(source, False)
    small = Limits(max_work=4_000)  # a budget below the text's length: charged, refused
    with pytest.raises(ExpressionEvaluationError, match="needed 5000 more"):
        parse(source, dialect=dialect, limits=small).evaluate(values)


def test_short_text_is_free() -> None:
    text = "x" * FREE_TEXT
    expr = parse("'ab' in text or text == other", limits=Limits(max_work=0))
    assert expr.evaluate({"text": text, "other": text}) is True


def test_a_loop_searching_long_text_every_round_is_stopped_by_the_run_budget() -> None:
    pb = PackageBuilder("budget")
    p = pb.process("loop")
    p.data_field("i", "INTEGER", initial="0")
    p.data_field("text", "STRING")
    p.application("inc", params=[("n", "INOUT", "INTEGER")])
    p.activity("begin").activity("body", tool="inc", args=["i"]).activity("end")
    p.transition("begin", "body").transition(
        "body", "body", condition="'ab' not in text and i < 50"
    )
    p.transition("body", "end", otherwise=True)
    engine = Engine(clock=VirtualClock(), limits=RuntimeLimits(max_run_work=100_000))
    engine.applications.register("inc", lambda n: {"n": n + 1})
    engine.deploy(pb.build())
    iid = engine.start_process("loop", {"text": "x" * 10_000})
    assert engine.instance(iid).state is ProcessState.RUNNING
    assert engine.instance(iid).data["i"] == 11  # ten searches of 10,000: the 11th is refused
    (incident,) = engine.incidents(iid)
    assert "RuntimeLimits.max_run_work" in incident.message


def test_a_condition_that_met_long_text_takes_a_budget_at_once_from_then_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It was evaluated twice on every run: once without a budget, to find it needs one."""
    from wfengine.expressions.expression import Expression

    expr = parse("amount > 100 and 'urgent' in description")
    values = {"amount": 200, "description": "x" * 5_000}
    assert expr.evaluate(values) is False
    tried: list[str] = []
    real = Expression._evaluate_with_budget

    def counting(self: Expression, *args: object) -> object:
        tried.append(self.source)
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Expression, "_evaluate_with_budget", counting)
    assert expr.evaluate(values) is False
    assert tried == []  # straight to an evaluation with a budget, not again after a try


@pytest.mark.parametrize(
    ("dialect", "source"),
    [
        (Dialect.JAVA, "text.compareTo(other) == 0"),
        (Dialect.JAVASCRIPT, "text.startsWith(other)"),
        (Dialect.JAVA, "text.endsWith(other)"),
        (Dialect.NATIVE, "text.startswith(other)"),
        (Dialect.NATIVE, "max(text, other) == 'y'"),
        (Dialect.JAVA, "text.equals(other)"),
    ],
)
def test_comparing_long_texts_by_method_is_charged_too(dialect: Dialect, source: str) -> None:
    expr = parse(source, dialect=dialect, limits=Limits(max_work=1_000_000))
    with pytest.raises(ExpressionEvaluationError, match="more elements or characters"):
        expr.evaluate({"text": LONG, "other": LONG})
    assert parse(source, dialect=dialect).evaluate({"text": "a", "other": "b"}) is not None


def test_only_what_is_compared_is_charged_not_the_whole_of_a_longer_text() -> None:
    """``max(body, 'a')`` charged all of a long ``body``, and ``'abc'.startswith(body)`` the
    whole prefix, though each compares no further than the shorter text."""
    body = "b" * 1_000_001
    assert parse("min('a', body) == 'a'").evaluate({"body": body}) is True
    assert parse("'abc'.startswith(body)").evaluate({"body": body}) is False
    js = parse("'abc'.endsWith(body)", dialect=Dialect.JAVASCRIPT)
    assert js.evaluate({"body": body}) is False
    two = {"a": "x" * 600, "b": "y" * 600}
    assert parse("max(a, b) == b", limits=Limits(max_work=1_100)).evaluate(two) is True
