"""A command's mark is its expression budget (:class:`~wfengine.runtime.run_budget.RunBudget`):
one context variable set per command where a mark of its own and a budget each set one. What
the marks told apart they still tell apart: a context copied inside a command nested in
another (an application calling a second engine) stays inside the outer command once the
nested one has ended, as the copied tuple of marks did; a command run again after a lost race
has a budget of its own, spent from an outer budget as a fresh one was."""

from __future__ import annotations

import contextvars
from typing import Any

from wfengine import Engine, PackageBuilder
from wfengine.errors import EngineInUseError
from wfengine.expressions.shared_budget import SharedBudget, current_budget
from wfengine.runtime.command_callbacks import inside_a_command, inside_command
from wfengine.runtime.run_budget import RunBudget


def test_a_context_copied_in_a_nested_command_stays_inside_the_outer_one() -> None:
    copied: list[contextvars.Context] = []
    refusals: list[str] = []
    inside: list[bool] = []
    pb = PackageBuilder("pkg")
    pb.application("keep").application("outer")
    pb.process("inner").activity("a", tool="keep")
    pb.process("outer").activity("b", tool="outer")
    first, second = Engine(), Engine()

    def keep() -> dict[str, Any]:
        copied.append(contextvars.copy_context())  # (a thread started now would carry it)
        return {}

    def outer() -> dict[str, Any]:
        second.start_process("inner")  # a command nested in this one, ended here
        try:
            copied[0].run(first.start_process, "inner")
        except EngineInUseError as exc:
            refusals.append(str(exc))
        inside.append(copied[0].run(inside_command, first._command_mark))
        return {}

    with first, second:
        for engine in (first, second):
            engine.applications.register("keep", keep)
            engine.applications.register("outer", outer)
            engine.deploy(pb.build())
        first.start_process("outer")
    [refusal] = refusals
    assert "calling back" in refusal
    assert inside == [True]  # (an assertion in the application would be an incident)
    assert not inside_a_command()
    assert copied[0].run(inside_a_command)  # (as the copied marks said: inside one)


def test_a_run_again_has_a_budget_of_its_own_spent_from_the_outer_one() -> None:
    """:meth:`RunBudget.again` is the old exit and a fresh budget's enter."""
    with SharedBudget(100, "outer") as outer:
        budget = RunBudget(50)
        budget.__enter__()
        assert current_budget() is budget
        budget.charge(20)
        budget.again()  # the lost run spent 20 of the outer budget, the next has 50
        assert (outer.remaining, budget.remaining) == (80, 50)
        assert current_budget() is budget
        budget.charge(45)
        budget.again()  # 35 left outside: the next run has those, named by the outer
        assert (outer.remaining, budget.remaining) == (35, 35)
        budget.charge(5)
        budget.__exit__()
        assert (outer.remaining, current_budget()) == (30, outer)
        assert list(budget.enclosing()) == [budget, outer]  # (kept: the command's mark)
    assert current_budget() is None
    assert list(outer.enclosing()) == [outer]  # (a script's budget lets go of its outer)
