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

from wfengine.expressions.shared_budget import _CURRENT, SharedBudget, current_budget, enter_budget

#: undo :func:`entered`'s ``enter_budget`` with its token: what a command's budget's
#: ``__exit__`` does when it was entered with none around it, without the call (once per
#: command: ``EngineBase._command``)
leave_budget = _CURRENT.reset

#: how an evaluation that finds the command's budget spent names it
_RUN_BUDGET = (
    "what this run's earlier evaluations left of its budget ({total:,} elements and "
    "characters for all the expressions one run of automatic work evaluates: "
    "RuntimeLimits.max_run_work)"
)


class RunBudget(SharedBudget):
    """The budget of one command's evaluations, entered round the command (its runs after
    lost races each :meth:`again`), and the command's mark
    (:mod:`~wfengine.runtime.command_callbacks`): code runs inside the command when this
    budget is among those its context's budget was entered inside. Why one object: a mark
    of its own in a context variable of its own cost a second variable set and reset per
    command, and a budget made by a function and entered by ``with``, calls of their own;
    together they were a third of an empty command.

    Made afresh for each command (a thread that copied an earlier command's context is not
    inside the one running now), it keeps the budget it was entered inside once it has
    ended, as the context a thread copied kept every command it ran inside."""

    __slots__ = ()

    _keeps_outer = True

    def __init__(self, total: int) -> None:
        """``SharedBudget(total, <the run budget's name>, share_sizes=False)``, each
        evaluation measuring afresh (the data changes between evaluations in a command), in
        fewer steps: one is made per command."""
        self.total = self.remaining = self._start = total
        self._whose = _RUN_BUDGET
        self._sizes = self._token = self._outer = self._named = None

    def again(self) -> None:
        """The budget of the command's next run (after a lost race), as a fresh one entered
        where this one was: what this run spent is spent from the outer budget, none here."""
        self.__exit__()
        self.remaining = self._start = self.total
        self._outer = self._named = None
        self.__enter__()


def entered(total: int) -> RunBudget:
    """A command's budget of ``total``, made and entered: ``RunBudget(total)`` entered as
    ``with`` enters it, in one call. Why: the class call, its ``__init__`` and ``__enter__``
    were three Python calls per command, for a budget that is nearly always entered with no
    budget around it (a command's own, not an application's call into another engine)."""
    budget = _new(RunBudget)
    budget.total = budget.remaining = budget._start = total
    budget._whose = _RUN_BUDGET
    budget._sizes = budget._token = budget._outer = budget._named = None
    if current_budget() is None:  # (nothing around it to take from: set, as __enter__ sets)
        budget._token = enter_budget(budget)
    else:
        budget.__enter__()
    return budget


#: makes a budget whose fields :func:`entered` sets (no ``__init__`` call)
_new = object.__new__


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
