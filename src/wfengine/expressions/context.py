"""Per-evaluation state: the remaining work budget and the clock.

Only expressions that can create sizeable values or read the clock get a fresh context per
evaluation; everything else (``amount > 100 and status == 'open'``, the bulk of transition
conditions) shares :data:`NO_CONTEXT` and pays nothing for it. The compiler decides which
is which once, when it compiles the expression.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from wfengine.expressions.limits import LimitExceeded


def _utc_now() -> datetime:
    return datetime.now(UTC)


class EvaluationContext:
    """Mutable state of one evaluation; never shared between evaluations."""

    __slots__ = ("now", "remaining")

    def __init__(self, budget: int, now: Callable[[], datetime] | None) -> None:
        self.remaining = budget
        self.now: Callable[[], datetime] = now if now is not None else _utc_now

    def charge(self, amount: int) -> None:
        """Spend ``amount`` elements or characters of the budget, or fail if it runs out."""
        self.remaining -= amount
        if self.remaining < 0:
            raise LimitExceeded(
                f"the expression creates values larger than its budget allows "
                f"(needed {amount} more elements or characters)"
            )


class _NoContext(EvaluationContext):
    """Stand-in for expressions the compiler found need no context.

    If that analysis were ever wrong, a shared budget would leak between evaluations; failing
    loudly here turns such a bug into an error instead.
    """

    __slots__ = ()

    def charge(self, amount: int) -> None:
        raise RuntimeError("internal error: expression charged work without an evaluation context")


NO_CONTEXT: EvaluationContext = _NoContext(0, None)
