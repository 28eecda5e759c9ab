"""The memory store's turn: one command at a time among the engines sharing a store.

Why a turn: the memory store's records are the live objects, changed in place, with no
isolation and no rollback, so two commands of engines in different threads both read an
offered work item as free and both claimed it. A command's unit of work holds the turn
(re-entrant: a unit inside another joins it), and so does a job claim.

Why a limit on the wait: a command holds the turn for all of its work, its application calls
included, so an application that waits for another thread's command on the same store (a
local service with its own engine, a thread pool) waited for a turn that the command it
serves holds: both waited for ever. A command that has waited :attr:`StoreTurn.timeout`
seconds is refused instead (:class:`~wfengine.errors.EngineInUseError`, nothing changed),
and a job claim claims nothing (the jobs stay due for the next look).
"""

from __future__ import annotations

import math
import numbers
import threading
from types import TracebackType
from typing import cast

from wfengine.errors import EngineInUseError

#: how long a command waits for another engine's command on the same memory store (seconds)
TURN_TIMEOUT = 10.0


def turn_timeout(value: object) -> float | None:
    """``MemoryStore(turn_timeout=value)`` checked: seconds above 0 (an int or float), or
    None or infinity for no limit (None is returned for both).

    Why checked here and not at the first command: the lock takes the value as it is, and
    infinity, or more seconds than ``threading.TIMEOUT_MAX``, failed there with a bare
    OverflowError on every command; True was taken as 1 s. They are refused (or, infinity,
    read as no limit) when the store is made, naming ``turn_timeout``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"MemoryStore: turn_timeout is a number of seconds above 0 or None (wait as long "
            f"as it takes), not {type(value).__name__} {value!r}"
        )
    seconds = cast(float, value)  # (a real number: int, float, Fraction, numpy's)
    if seconds == math.inf:
        return None  # "as long as it takes", as None
    if not 0 < seconds <= threading.TIMEOUT_MAX:  # (NaN compares false: refused too)
        raise ValueError(
            f"MemoryStore: turn_timeout is a number of seconds above 0 and at most "
            f"{threading.TIMEOUT_MAX:g} (threading.TIMEOUT_MAX), or None or infinity (wait as "
            f"long as it takes), not {value!r}"
        )
    return float(seconds)


class StoreTurn:
    """A re-entrant lock taken with a limit on the wait; the memory store's ``unit()``."""

    __slots__ = ("_lock", "timeout")

    def __init__(self, timeout: float | None) -> None:
        self._lock = threading.RLock()
        #: seconds a command waits for the turn (None: as long as it takes)
        self.timeout = turn_timeout(timeout)

    def __enter__(self) -> None:
        lock = self._lock
        if lock.acquire(False):  # (free, or this thread's: no wait, and no time limit to
            return  # parse, which cost a command's turn nearly twice as much)
        timeout = self.timeout
        if not lock.acquire(True, -1 if timeout is None else timeout):
            raise EngineInUseError(
                f"another engine's command has held this MemoryStore for {timeout:g} s (engines "
                "sharing a memory store take turns, one command at a time); if an application "
                "of that command waits for this one (a service with its own engine on the same "
                "store), they would wait for each other for ever: return the values as the "
                "application's OUT parameters, make the call asynchronous, or give the service "
                "a store of its own; nothing was changed"
            )

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._lock.release()
