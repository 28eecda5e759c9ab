"""Per-evaluation state: the remaining work budget, the sizes of values met, and the clock.

Only expressions that can create sizeable values or read the clock get a fresh context per
evaluation; everything else (``amount > 100 and status == 'open'``, the bulk of transition
conditions) shares :data:`NO_CONTEXT` and pays nothing for it. The compiler decides which is
which once, when it compiles the expression; an operation that turns out to need the budget
at run time (a comparison of two lists) raises :class:`NeedsContext` from :data:`NO_CONTEXT`,
and the expression is evaluated again with a fresh context (evaluation has no side effects,
so that is safe, and rare).

**Sizes count through shared references.** ``[[0] * 1000] * 1000`` is two lists in memory
but a million elements to anything that walks it (comparing, hashing, ``in``, ``max``,
sorting, printing): Python walks the shared inner list a thousand times. So the size charged
for a value is its *logical* size: 1 for a scalar, the length of a string, 1 plus the sizes of
the items for a container, counting an item as often as it appears. :meth:`size_of` computes
it once per distinct object (a value repeated n times costs one walk), so values built by
repetition cannot make the work exponential.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from wfengine.expressions.limits import LimitExceeded

#: the values whose logical size is more than 1 (strings count their characters)
CONTAINERS = (list, tuple, set, frozenset, dict)
_CONTAINER_TYPES = frozenset(CONTAINERS)


#: text up to this long is searched and compared without charge (a condition on a status, a
#: name or a code): charging it would give nearly every condition a budget of its own
FREE_TEXT = 1_000


class NeedsContext(Exception):
    """Internal: an expression compiled without a context needs one after all."""


def charge_text(c: EvaluationContext, length: int) -> None:
    """Charge a search or comparison through ``length`` characters of text, when that is
    longer than :data:`FREE_TEXT`. Why: ``'ab' in xs`` over a 900,000-character text walked
    it at no charge, so a loop that took such a condition on every round ran until
    ``max_steps`` (about 49 minutes) whatever the run's budget."""
    if length > FREE_TEXT:
        c.charge(length)


def charge_affix(c: EvaluationContext, text: object, affix: object) -> None:
    """Charge ``startswith``/``endswith`` (``startsWith``...) of ``text`` what its prefix or
    suffix (or tuple of them) compares: as far as the shorter of the two (a longer affix is
    refused by its length alone), when longer than :data:`FREE_TEXT` (:func:`charge_text`)."""
    if text.__class__ is not str:
        return
    if affix.__class__ is str:
        charge_text(c, min(len(text), len(affix)))
    elif isinstance(affix, tuple):
        charge_text(c, sum(min(len(text), len(a)) for a in affix if a.__class__ is str))


#: how messages name the evaluation's own budget (not one shared with earlier evaluations)
_OWN_BUDGET = "its budget"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class EvaluationContext:
    """Mutable state of one evaluation; never shared between evaluations."""

    __slots__ = ("_sizes", "now", "remaining", "whose")

    def __init__(
        self,
        budget: int,
        now: Callable[[], datetime] | None,
        sizes: dict[int, tuple[Any, int]] | None = None,
        whose: object = None,
    ) -> None:
        self.remaining = budget
        self.now: Callable[[], datetime] = now if now is not None else _utc_now
        #: id -> (the value, its logical size); holding the value keeps its id from reuse.
        #: Evaluations that share a budget share it too (:mod:`.shared_budget`), unless it was
        #: made with ``share_sizes=False`` (a command's): sizes do not depend on the budget,
        #: and a value passed from one to the next is measured once
        self._sizes: dict[int, tuple[Any, int]] = {} if sizes is None else sizes
        #: the budget's name (its text) in the messages of a limit reached, when it is not
        #: the evaluation's own: a script's shared budget names itself, since the statement
        #: that reached it may be cheap on its own
        self.whose = _OWN_BUDGET if whose is None else whose

    def size_of(self, value: Any) -> int:
        """The logical size of ``value`` (see the module notes), computed once per object.

        Raises :class:`LimitExceeded` as soon as the size passes the remaining budget: a value
        that big cannot be charged anyway, and a repeated value's size grows exponentially.
        """
        if value.__class__ not in _CONTAINER_TYPES:
            return len(value) if isinstance(value, str) else 1
        known = self._sizes.get(id(value))
        if known is not None:
            return known[1]
        limit = self.remaining
        stack: list[tuple[Any, bool]] = [(value, False)]
        while stack:
            item, children_done = stack.pop()
            if id(item) in self._sizes:
                continue
            children = _items(item)
            if not children_done:
                stack.append((item, True))
                stack.extend(
                    (c, False)
                    for c in children
                    if c.__class__ in _CONTAINER_TYPES and id(c) not in self._sizes
                )
                continue
            size = 1
            for child in children:
                if child.__class__ in _CONTAINER_TYPES:
                    size += self._sizes[id(child)][1]
                elif isinstance(child, str):
                    size += len(child)
                else:
                    size += 1
            if size > limit:
                raise LimitExceeded(self._too_large(limit))
            self._sizes[id(item)] = (item, size)
        return self._sizes[id(value)][1]

    def _too_large(self, limit: int) -> str:
        """Why a value of more than ``limit`` elements is refused; with nothing left, that the
        budget is spent, not that the value has "more than 0 elements"."""
        if limit > 0:
            return (
                f"the expression works on a value of more than {limit} elements (counting "
                f"repeated parts each time they appear): more than {self.whose} allows"
            )
        spent = (
            "earlier parts of the expression used it all"
            if self.whose is _OWN_BUDGET
            else f"{self.whose} is nothing"
        )
        return f"the expression works on a value, but the evaluation's budget is spent ({spent})"

    def charge_sizes(self, *values: Any) -> None:
        """Charge the logical sizes of ``values`` (what a walk over them costs)."""
        self.charge(sum(self.size_of(v) for v in values))

    def charge(self, amount: int) -> None:
        """Spend ``amount`` elements or characters of the budget, or fail if it runs out."""
        self.remaining -= amount
        if self.remaining < 0:
            raise LimitExceeded(
                f"the expression creates values larger than {self.whose} allows "
                f"(needed {amount} more elements or characters)"
            )


class _NoContext(EvaluationContext):
    """Stand-in for expressions the compiler found need no context.

    If that analysis were ever wrong, a shared budget would leak between evaluations; failing
    loudly here turns such a bug into an error instead.
    """

    __slots__ = ()

    def charge(self, amount: int) -> None:
        raise NeedsContext

    def size_of(self, value: Any) -> int:
        raise NeedsContext


NO_CONTEXT: EvaluationContext = _NoContext(0, None)


def _items(container: Any) -> list[Any]:
    if isinstance(container, dict):
        return [*container.keys(), *container.values()]
    return list(container)


def is_container(value: Any) -> bool:
    """True for the values whose walks are charged (lists, tuples, sets, dicts)."""
    return value.__class__ in _CONTAINER_TYPES
