"""The shared empty containers an activity instance starts with (its timers, its boundary
events' firings) instead of two new ones each (see :class:`_NoTimers`), and those a scope
starts with (its pending joins, its event sub-processes' timers: :class:`_NoPending`).
"""

from __future__ import annotations

from typing import Any


class _NoTimers(list[str]):
    """The one empty ``timers`` every activity instance without timers shares (nearly all
    of them: :class:`~wfengine.runtime.instance.ActivityInstance`): a writer gives the
    instance a list of its own (``ai.timers = [*ai.timers, id]``). Why: a list made per
    activity instance (two containers with :class:`_NotFired`) was some 85 ns of every
    activity, and two more objects for the collector. Changing it in place raises: a
    writer that forgot would share its change with every other activity instance.
    (Hashable only for ``dataclass``'s default check.)"""

    __slots__ = ()
    __hash__ = object.__hash__  # type: ignore[assignment]

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("the shared empty timers (of activity instances, scopes) are not changed")

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse


class _NotFired(dict[int, int]):
    """The one empty ``fired`` every activity instance none of whose boundary events fired
    shares (see :class:`_NoTimers`; a writer takes
    :func:`~wfengine.runtime.instance.own_fired`)."""

    __slots__ = ()
    __hash__ = object.__hash__  # type: ignore[assignment]

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("the shared empty fired of an activity instance is not changed")

    update = setdefault = pop = popitem = clear = __setitem__ = __delitem__ = _refuse
    __ior__ = _refuse


#: an activity instance's timers and fired while it has none (see :class:`_NoTimers`)
NO_TIMERS: list[str] = _NoTimers()
NOT_FIRED: dict[int, int] = _NotFired()


class _NoPending(set[int]):
    """The one empty ``pending`` every scope shares until a join of it is pending.

    Why: nearly every scope (every process instance's top level, most blocks) never has a
    join to decide when the work runs out, nor an event sub-process's timer (whose list is
    :data:`NO_TIMERS` too), and a set and a list made per scope were two allocations of
    every start and two objects the collector tracked for as long as the memory store keeps
    the instance. A writer gives the scope a set of its own first
    (:func:`~wfengine.runtime.navigation.joins.own_pending`); changing the shared one in
    place raises, as :class:`_NoTimers` does. (Hashable only for ``dataclass``'s default
    check.)"""

    __slots__ = ()
    __hash__ = object.__hash__  # type: ignore[assignment]

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("the shared empty pending joins of a scope are not changed")

    add = discard = remove = pop = clear = update = _refuse
    difference_update = intersection_update = symmetric_difference_update = _refuse
    __ior__ = __iand__ = __isub__ = __ixor__ = _refuse


#: a scope's pending joins while it has none (see :class:`_NoPending`)
NO_PENDING: set[int] = _NoPending()
#: a scope's event sub-processes' timers while it has none: the activity instances' empty
NO_SCOPE_TIMERS: list[str] = NO_TIMERS
