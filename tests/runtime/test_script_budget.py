"""A script is charged as one evaluation: its statements share one work budget.

Before, each statement had a budget of its own and the script none: a 3 KB script that built
a 300,000-item list and then said ``b = max(l)`` 300 times held one ``start_process`` for half
a minute (``RuntimeLimits(max_steps=10)`` did not help: the script is one step), and ``a =
[a]`` 4,000 times measured the whole growing value again at every statement (quadratic)
before its depth, past what a store keeps, was noticed after the last one. Now the statements
draw on one budget (``RuntimeLimits.max_script_work``, one evaluation's by default) and a
value nested too deep is refused at the statement that made it; either is an incident that
names the statement, and the instance stays usable.
"""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, ProcessState, RuntimeLimits
from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import parse
from wfengine.expressions.shared_budget import SharedBudget, current_budget


def _engine(script: str, fields: tuple[str, ...], limits: RuntimeLimits | None = None) -> Engine:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    for name in fields:
        p.data_field(name, "REFERENCE")
    p.activity("calc", script=script)
    engine = Engine(limits=limits)
    engine.deploy(pb.build())
    return engine


def _start(engine: Engine, data: dict[str, Any] | None = None) -> tuple[str, list[str]]:
    iid = engine.start_process("main", data)
    return iid, [i.message for i in engine.incidents(iid)]


def test_statements_that_each_fit_but_not_together_are_an_incident_naming_the_statement() -> None:
    # each ``max(l)`` walks 300,001 elements, well within one evaluation's 1,000,000; the
    # list and three of them are not: before, any number of them ran (34 s for 300)
    script = "l = [0.5, 1.5, 2.5] * 100000\n" + "\n".join(["b = max(l)"] * 300)
    engine = _engine(script, ("l", "b"))
    iid, incidents = _start(engine)
    assert engine.instance(iid).state is ProcessState.RUNNING
    assert len(incidents) == 1
    assert "activity 'calc', script, b =" in incidents[0]
    assert "RuntimeLimits.max_script_work" in incidents[0]
    assert "1,000,000 elements and characters for all its statements together" in incidents[0]
    assert engine.instance(iid).data == {"l": None, "b": None}  # nothing applied


def test_the_instance_stays_usable_a_larger_budget_lets_the_retry_finish() -> None:
    script = "b = max(l)\nc = max(l)\nd = min(l)"
    engine = _engine(script, ("l", "b", "c", "d"), RuntimeLimits(max_script_work=1_000))
    iid, incidents = _start(engine, {"l": [0] * 400})
    assert len(incidents) == 1 and "d =" in incidents[0]  # 401 + 401 + 401 > 1,000
    engine.limits = RuntimeLimits(max_script_work=2_000)
    engine.retry_incident(engine.incidents(iid)[0].id)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.instance(iid).data == {"l": [0] * 400, "b": 0, "c": 0, "d": 0}


def test_the_budget_is_per_script_not_per_instance() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    for name in ("l", "b"):
        p.data_field(name, "REFERENCE")
    p.activity("one", script="b = max(l) + min(l)")  # 802 of 1,000, twice
    p.activity("two", script="b = max(l) + min(l)")
    p.transition("one", "two")
    engine = Engine(limits=RuntimeLimits(max_script_work=1_000))
    engine.deploy(pb.build())
    iid, incidents = _start(engine, {"l": [0] * 400})
    assert (engine.instance(iid).state, incidents) == (ProcessState.COMPLETED, [])


def test_a_statement_keeps_its_own_limit_under_a_larger_script_budget() -> None:
    script = "c = max(l)\nb = max(l) + max(l)"  # the second: 1,200,002 on its own
    engine = _engine(script, ("l", "b", "c"), RuntimeLimits(max_script_work=10_000_000))
    _, incidents = _start(engine, {"l": [0] * 600_000})
    assert len(incidents) == 1 and "b =" in incidents[0]
    assert "larger than its budget allows" in incidents[0]
    assert "max_script_work" not in incidents[0]


def test_a_value_nested_too_deep_is_refused_at_the_statement_that_made_it() -> None:
    # before: 4,000 statements grew it 4,000 deep (measured whole at each: quadratic), and
    # only the check after the last one refused it
    engine = _engine("\n".join(["a = [a]"] * 4_000), ("a",))
    iid, incidents = _start(engine, {"a": 1})
    assert len(incidents) == 1
    assert "activity 'calc', script, statement 65, data['a']" in incidents[0]
    assert "nested deeper than 64 levels cannot be stored" in incidents[0]
    assert engine.instance(iid).data == {"a": 1}


def test_a_value_as_deep_as_a_store_keeps_is_assigned() -> None:
    engine = _engine("\n".join(["a = [a]"] * 63), ("a",))
    iid, incidents = _start(engine, {"a": [1]})
    assert (engine.instance(iid).state, incidents) == (ProcessState.COMPLETED, [])
    value, depth = engine.instance(iid).data["a"], 0
    while isinstance(value, list):
        value, depth = value[0], depth + 1
    assert (depth, value) == (64, 1)


def test_a_value_no_store_takes_may_still_be_replaced_by_a_later_statement() -> None:
    engine = _engine("s = {3, 1, 2}\nn = len(s)\ns = sorted(s)", ("s", "n"))
    iid, incidents = _start(engine)
    assert (engine.instance(iid).state, incidents) == (ProcessState.COMPLETED, [])
    assert engine.instance(iid).data == {"s": [1, 2, 3], "n": 3}


def test_a_script_budget_of_nothing_still_assigns_what_costs_nothing() -> None:
    engine = _engine("a = 1\nb = a + 2\nc = [a]", ("a", "b", "c"), RuntimeLimits(max_script_work=0))
    _, incidents = _start(engine)
    assert len(incidents) == 1 and "c =" in incidents[0]
    engine2 = _engine("a = 1\nb = a + 2", ("a", "b"), RuntimeLimits(max_script_work=0))
    iid2, incidents2 = _start(engine2)
    assert (engine2.instance(iid2).data, incidents2) == ({"a": 1, "b": 3}, [])


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [(-1, ValueError, "max_script_work: at least 0"), ("9", TypeError, "whole number")],
)
def test_a_wrong_script_budget_is_refused_when_the_limits_are_made(
    value: Any, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        RuntimeLimits(max_script_work=value)


def test_evaluations_in_a_shared_budget_draw_on_it_and_it_ends_with_its_block() -> None:
    walk = parse("max(l)")
    variables = {"l": [0] * 400}
    with SharedBudget(1_000, "the block's {total:,}") as budget:
        assert current_budget() is budget
        walk.evaluate(variables)
        walk.evaluate(variables)
        assert budget.remaining == 1_000 - 2 * 401
        with pytest.raises(ExpressionEvaluationError, match="larger than the block's 1,000 allows"):
            walk.evaluate(variables)
    assert current_budget() is None
    for _ in range(3):  # each on its own again
        walk.evaluate(variables)


def test_a_budget_inside_another_has_what_the_outer_left_and_spends_from_it() -> None:
    # (how a budget for a whole run of automatic work would hold its scripts' budgets)
    walk = parse("max(l)")
    variables = {"l": [0] * 400}
    with SharedBudget(1_000, "the run's {total:,}") as run:
        walk.evaluate(variables)  # 401 of the run's
        with SharedBudget(5_000, "the script's {total:,}") as script:
            assert script.remaining == 599
            walk.evaluate(variables)
            with pytest.raises(ExpressionEvaluationError, match="larger than the run's 1,000"):
                walk.evaluate(variables)
        assert current_budget() is run and run.remaining < 0
    with SharedBudget(10_000, "the run's {total:,}") as run:
        with SharedBudget(1_000, "the script's {total:,}"):
            walk.evaluate(variables)
            walk.evaluate(variables)
            with pytest.raises(ExpressionEvaluationError, match="larger than the script's 1,000"):
                walk.evaluate(variables)
        assert run.remaining == 10_000 - 2 * 401 - 401
