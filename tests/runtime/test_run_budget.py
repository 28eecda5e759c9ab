"""All the expressions of one run of automatic work share one budget
(``RuntimeLimits.max_run_work``, :mod:`wfengine.runtime.run_budget`).

Before, an expression had its own budget and a script one for all its statements, but nothing
bounded a command: a split whose conditions each walked just under one evaluation's budget,
taken on every round of a loop, ran until ``max_steps`` (hours). Now a run that has spent its
budget fails the next costly expression as one past its own limit fails: an incident naming
the limit, on the instance that spent it; retrying it is a new run with a budget of its own.
A long run cut into stretches (``commit_every``) is still one run. Run on every store.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime.conftest import store_url
from wfengine import Engine, PackageBuilder, ProcessState, RuntimeLimits
from wfengine.runtime.clock import VirtualClock

#: each evaluation of the loop's condition walks the 1,000-item list ``l``
LIST = list(range(1_000))


def _loop(engine: Engine) -> None:
    """``body`` adds one to ``i`` and runs again while ``i < 20`` (walking ``l`` each time)."""
    pb = PackageBuilder("budget")
    p = pb.process("loop")
    p.data_field("i", "INTEGER", initial="0")
    p.data_field("l", "REFERENCE")
    p.application("inc", params=[("n", "INOUT", "INTEGER")])
    p.activity("begin").activity("body", tool="inc", args=["i"]).activity("end")
    p.transition("begin", "body")
    p.transition("body", "body", condition="i < 20 and max(l) >= 0")
    p.transition("body", "end", otherwise=True)
    engine.applications.register("inc", lambda n: {"n": n + 1})
    engine.deploy(pb.build())


@pytest.fixture
def make(request: pytest.FixtureRequest, store_kind: str, tmp_path: Path) -> Iterator[type[Engine]]:
    """Engines on one fresh store of each kind, closed at the end."""
    opened: list[Engine] = []
    url = store_url(request, store_kind, tmp_path)

    def _make(limits: RuntimeLimits) -> Engine:
        engine = Engine(clock=VirtualClock(), db_url=url, limits=limits)
        opened.append(engine)
        return engine

    yield _make  # type: ignore[misc]
    for engine in opened:
        engine.close()


def test_the_default_budget_lets_an_ordinary_loop_run_to_its_end(make: type[Engine]) -> None:
    e = make(RuntimeLimits())
    _loop(e)
    iid = e.start_process("loop", {"l": LIST})
    assert e.instance(iid).state is ProcessState.COMPLETED
    assert e.instance(iid).data["i"] == 20
    assert e.incidents(iid) == []


def test_a_run_that_spent_its_budget_stops_with_an_incident_naming_the_limit(
    make: type[Engine],
) -> None:
    e = make(RuntimeLimits(max_run_work=12_000))
    _loop(e)
    iid = e.start_process("loop", {"l": LIST})
    inst = e.instance(iid)
    assert inst.state is ProcessState.RUNNING
    # each round's condition spent about 1,000; the twelfth found the budget spent
    assert inst.data["i"] == 12
    (incident,) = e.incidents(iid)
    assert "RuntimeLimits.max_run_work" in incident.message
    assert "12,000" in incident.message
    assert "transition" in incident.message and "'body'" in incident.message


def test_the_stretches_of_a_long_run_share_its_budget(make: type[Engine]) -> None:
    """Each stretch of five steps spends about 2,500, far from the budget on its own: the run
    stops where it stops in one piece."""
    e = make(RuntimeLimits(max_run_work=12_000, commit_every=5))
    _loop(e)
    iid = e.start_process("loop", {"l": LIST})
    assert e.instance(iid).data["i"] == 12
    assert len(e.incidents(iid)) == 1


def test_retrying_the_incident_is_a_new_run_with_a_budget_of_its_own(make: type[Engine]) -> None:
    e = make(RuntimeLimits(max_run_work=12_000))
    _loop(e)
    iid = e.start_process("loop", {"l": LIST})
    (incident,) = e.incidents(iid)
    e.retry_incident(incident.id)
    assert e.instance(iid).state is ProcessState.COMPLETED
    assert e.instance(iid).data["i"] == 20


def test_cheap_expressions_never_touch_the_budget(make: type[Engine]) -> None:
    """A budget of nothing still runs conditions on numbers (nearly every condition)."""
    e = make(RuntimeLimits(max_run_work=0))
    pb = PackageBuilder("cheap")
    p = pb.process("cheap")
    p.data_field("i", "INTEGER", initial="3")
    p.activity("a").activity("yes").activity("no")
    p.transition("a", "yes", condition="i > 2").transition("a", "no", otherwise=True)
    e.deploy(pb.build())
    iid = e.start_process("cheap")
    assert e.instance(iid).state is ProcessState.COMPLETED
    assert e.trace(iid) == ["a", "yes"]


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [(-1, ValueError, "max_run_work: at least 0"), (1.5, TypeError, "whole number")],
)
def test_a_wrong_run_budget_is_refused_when_the_limits_are_made(
    value: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        RuntimeLimits(max_run_work=value)  # type: ignore[arg-type]


def test_a_command_leaves_no_budget_for_the_collector_to_free() -> None:
    """Each command's budget referred to itself (a cycle), so only the garbage collector freed
    it: one per command kept a person's step's garbage for the collector, a quarter more time
    in memory. Now it is freed when its command ends."""
    import gc

    from wfengine.expressions.shared_budget import SharedBudget

    e = Engine(clock=VirtualClock())
    _loop(e)
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        # (budgets alive before, of engines other tests in this process keep, are not ours)
        before = [o for o in gc.get_objects() if isinstance(o, SharedBudget)]
        for _ in range(20):
            e.start_process("loop", {"l": [1, 2, 3]})
        # (the last command's budget is its mark, which the engine keeps: not garbage)
        left = [o for o in gc.get_objects() if isinstance(o, SharedBudget)]
        made = [o for o in left if not any(o is b for b in before)]
        assert [o for o in made if o is not e._command_mark] == []
    finally:
        if enabled:
            gc.enable()
        e.close()
