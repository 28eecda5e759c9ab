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


def check_clock(clock: Clock) -> None:
    """Refuse a clock whose time is not timezone-aware, when an engine is built with it.

    Why: every store compares and keeps aware times (a SQL store refuses a naive one at its
    first write); a naive clock would run on one store and fail on another, or compare
    naive with aware due times later.
    """
    now = clock.now()
    if not isinstance(now, datetime) or now.utcoffset() is None:
        raise ValueError(
            f"the clock {clock!r} says it is {now!r}: an engine needs a clock whose now() "
            "is a timezone-aware datetime (datetime.now(UTC), for one)"
        )


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
