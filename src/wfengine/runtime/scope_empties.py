"""The shared empty containers a scope starts with: its pending joins and its event
sub-processes' timers (see :class:`_NoPending`).

Why: nearly every scope (every process instance's top level, most blocks) never has a join
to decide when the work runs out, nor an event sub-process's timer, and a set and a list made
per scope were two allocations of every start and two objects the collector tracked for as
long as the memory store keeps the instance: its full passes, which rescan everything kept,
cost more the more each instance leaves behind. A writer gives the scope a container of its
own first (:func:`~wfengine.runtime.navigation.joins.own_pending`, ``scope.timers =
[*scope.timers, id]``); changing a shared one in place raises, as a writer that forgot would
share its change with every other scope.
"""

from __future__ import annotations

from typing import Any


class _NoPending(set[int]):
    """The one empty ``pending`` every scope shares until a join of it is pending (hashable
    only for ``dataclass``'s default check)."""

    __slots__ = ()
    __hash__ = object.__hash__  # type: ignore[assignment]

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("the shared empty pending joins of a scope are not changed")

    add = discard = remove = pop = clear = update = _refuse
    difference_update = intersection_update = symmetric_difference_update = _refuse
    __ior__ = __iand__ = __isub__ = __ixor__ = _refuse


class _NoScopeTimers(list[str]):
    """The one empty ``timers`` every scope shares until one of its event sub-processes sets a
    timer (see :class:`_NoPending`)."""

    __slots__ = ()
    __hash__ = object.__hash__  # type: ignore[assignment]

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("the shared empty timers of a scope are not changed")

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse


#: a scope's pending joins and timers while it has none (see :class:`_NoPending`)
NO_PENDING: set[int] = _NoPending()
NO_SCOPE_TIMERS: list[str] = _NoScopeTimers()
