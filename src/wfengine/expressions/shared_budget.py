"""One work budget for several evaluations: a script's statements, charged together.

One evaluation has its own budget (:attr:`~wfengine.expressions.Limits.max_work`). A
TaskScript (or an activity's assignments) is many evaluations, one per statement, run by one
command: with a budget each, a 3 KB script that builds a 300,000-item list and then says
``b = max(l)`` 300 times walked 90 million elements in one command (34 s), and a script's
length, not any limit, bounded what it cost. So the runtime opens one budget for the whole
script (:class:`SharedBudget`) and every evaluation inside it draws on it: a statement may
spend at most its own limit *and* at most what the statements before it left.

The evaluations also share the sizes of the values they meet (see :mod:`.context`): a value
passed from one statement to the next (``a = [a]``, ``b = max(l)``) is measured once, where a
fresh measure per statement made n statements cost n walks of a growing value (quadratic).
That is safe because no value changes while the script runs (expressions build new values,
they never change one) and the shared cache holds what it measured (ids stay unique).

Why a context variable rather than an argument: the runtime evaluates each statement through
:class:`~wfengine.runtime.evaluation.CompiledExpression`, which binds it to its place in the
definition and converts its errors; the budget passes beside that layer. A context variable
belongs to one thread (and one asyncio task), so engines in other threads never see it, and
leaving the block restores the one before when it ends, however it ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextvars import ContextVar, Token
from datetime import datetime
from typing import Any, ClassVar

from wfengine.expressions.context import EvaluationContext


class SharedBudget:
    """The budget and the measured sizes that several evaluations share; a context manager
    (``with SharedBudget(...)``: the evaluations in the block draw on it).

    Blocks may nest (a script's budget inside a budget for a whole run of automatic work):
    the inner one is charged, has at most what the outer one has left, and what it spends is
    spent from the outer one too when it ends. Each keeps its own measured sizes."""

    __slots__ = ("_named", "_outer", "_sizes", "_start", "_token", "_whose", "remaining", "total")

    #: whether the budget still names the one it was entered inside once it has ended (a
    #: command's budget, which is also the command's mark: ``wfengine.runtime.run_budget``)
    _keeps_outer: ClassVar[bool] = False

    def __init__(self, total: int, whose: str, *, share_sizes: bool = True) -> None:
        """``whose``: how a statement that finds this budget spent names it, ``{total}`` for
        the total ("what the script's earlier statements left of its {total:,} ..."); made
        into text only then (a script runs often, its budget rarely runs out).

        ``share_sizes=False``: each evaluation measures the values it meets afresh. For a
        budget over a whole command, whose data does change between evaluations and whose
        shared measures would keep every value a long run made alive until it ends."""
        self.total = total
        self.remaining = total
        self._whose = whose
        self._sizes: dict[int, tuple[Any, int]] | None = {} if share_sizes else None
        self._token: Token[SharedBudget | None] | None = None
        self._outer: SharedBudget | None = None
        #: the budget a statement that finds this one spent names: the outer one when what
        #: that had left was less than this one's total, else None for this one (not ``self``:
        #: a budget referring to itself is a cycle, which only the collector frees; one per
        #: command kept a W4 command's garbage for it and cost a quarter more time)
        self._named: SharedBudget | None = None
        self._start = total

    def __enter__(self) -> SharedBudget:
        outer = _CURRENT.get()
        if outer is not None:
            self._outer = outer
            if outer.remaining < self.remaining:
                self.remaining = max(outer.remaining, 0)
                self._named = outer._named or outer
            self._start = self.remaining
        self._token = _CURRENT.set(self)
        return self

    def __exit__(self, *exc: object) -> None:
        token = self._token
        if token is not None:  # (entered: ``_outer`` is set only then)
            _CURRENT.reset(token)
            self._token = None
            outer = self._outer
            if outer is not None:
                outer.remaining -= self._start - self.remaining
                if not self._keeps_outer:
                    self._outer = None

    def enclosing(self) -> Iterator[SharedBudget]:
        """This budget and those it was entered inside, innermost first (an outer one while
        it is entered; a budget that keeps its outer one, :attr:`_keeps_outer`, for good)."""
        budget: SharedBudget | None = self
        while budget is not None:
            yield budget
            budget = budget._outer

    def charge(self, spent: int) -> None:
        """Take ``spent`` off what is left: what an earlier part of the same work spent (a
        long run's earlier stretches, each a command of its own)."""
        self.remaining -= spent

    def __str__(self) -> str:
        return self._whose.format(total=self.total)

    def run(
        self,
        evaluator: Callable[[Any, EvaluationContext], Any],
        variables: Any,
        own_budget: int,
        now: Callable[[], datetime] | None,
    ) -> Any:
        """``evaluator`` with at most ``own_budget`` and at most what is left here; what it
        spends is spent here too, whether it succeeds or fails."""
        left = self.remaining
        budget = own_budget if own_budget <= left else max(left, 0)
        named = (self._named or self) if budget < own_budget else None
        ctx = EvaluationContext(budget, now, self._sizes, named)
        try:
            return evaluator(variables, ctx)
        finally:
            self.remaining = left - (budget - ctx.remaining)


_CURRENT: ContextVar[SharedBudget | None] = ContextVar("wfengine_shared_budget", default=None)

#: the budget evaluations in this thread (or asyncio task) share now, if any
current_budget = _CURRENT.get

#: make a budget the one evaluations share, with none around it; returns the token its exit
#: resets (``SharedBudget.__enter__`` when ``current_budget()`` is None, without the call:
#: :func:`wfengine.runtime.run_budget.entered`, once per command)
enter_budget = _CURRENT.set
