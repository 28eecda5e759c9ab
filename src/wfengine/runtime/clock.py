"""Where the engine's time comes from.

Time is injected so that runs are reproducible and deadlines can be tested without waiting:
:class:`VirtualClock` only moves when told to, and tells its subscribers (an engine's
``fire_due_timers``) each time it does. The engine reads the clock once per command, so every
change a command makes carries the same timestamp, as rows written in one database
transaction would.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """Where the engine reads the time: inject a :class:`VirtualClock` to drive
    deadlines in tests and simulations."""

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    """Wall-clock time in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class VirtualClock:
    """A clock that stands still until :meth:`advance` or :meth:`set` moves it.

    Engines built with a virtual clock subscribe to it, so advancing the clock fires every
    timer (deadline) that became due, in due-time order, before ``advance`` returns.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2000, 1, 1, tzinfo=UTC)
        if self._now.tzinfo is None:
            raise ValueError("VirtualClock needs a timezone-aware start time")
        self._subscribers: list[Callable[[], object]] = []

    def now(self) -> datetime:
        return self._now

    def subscribe(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` after every move of the clock."""
        self._subscribers.append(callback)

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` (not backwards) and fire what became due."""
        if delta < timedelta(0):
            raise ValueError("a clock does not go backwards")
        return self.set(self._now + delta)

    def set(self, when: datetime) -> datetime:
        if when < self._now:
            raise ValueError("a clock does not go backwards")
        self._now = when
        for callback in list(self._subscribers):
            callback()
        return self._now
