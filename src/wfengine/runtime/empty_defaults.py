"""The shared empty containers an activity instance starts with (its timers, its boundary
events' firings) instead of two new ones each: see :class:`_NoTimers`.
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
        raise TypeError("the shared empty timers of an activity instance are not changed")

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
