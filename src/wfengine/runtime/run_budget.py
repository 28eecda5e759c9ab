"""One work budget for every expression a command evaluates (``RuntimeLimits.max_run_work``).

An expression has its own budget (:attr:`wfengine.expressions.Limits.max_work`) and a script
one for all its statements (``RuntimeLimits.max_script_work``), but neither bounds a command:
a split of 100 transitions whose conditions each walk just under one evaluation's budget held
one command for 8 s, and a loop that takes such a transition on every round ran until
``max_steps``, hours. So every command opens one budget that all its evaluations draw on
(:class:`~wfengine.expressions.shared_budget.SharedBudget`; a script's budget nests inside
it). An expression that finds it spent fails as any expression past its limit does: an
incident on its activity, whose retry is a new command with a budget of its own.

A long run cut into stretches (``RuntimeLimits.commit_every``) is one run: each stretch's
``continue`` job carries what the run has spent so far (:func:`spent`), as it carries the
steps, and the next stretch starts with that much less (:func:`charge`).

Expressions that cannot cost anything (no containers, no text built: nearly every condition)
never touch a budget (:mod:`wfengine.expressions.expression`), so the common command pays
only for opening this one.
"""

from __future__ import annotations

from wfengine.expressions.shared_budget import SharedBudget, current_budget
from wfengine.runtime.limits import RuntimeLimits

#: how an evaluation that finds the command's budget spent names it
_RUN_BUDGET = (
    "what this run's earlier evaluations left of its budget ({total:,} elements and "
    "characters for all the expressions one run of automatic work evaluates: "
    "RuntimeLimits.max_run_work)"
)


def run_budget(limits: RuntimeLimits) -> SharedBudget:
    """The budget of one command's evaluations (a context manager, entered round its body)."""
    return SharedBudget(limits.max_run_work, _RUN_BUDGET, share_sizes=False)


def spent() -> int:
    """What the run spent so far: what its stretches before this one spent, and this one."""
    budget = current_budget()
    return 0 if budget is None else budget.total - budget.remaining


def charge(earlier: int) -> None:
    """Take what the run's stretches before this command spent (``earlier``) off its
    budget."""
    budget = current_budget()
    if budget is not None and earlier > 0:
        budget.charge(earlier)
