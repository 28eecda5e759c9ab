"""Ctrl-C held off while one unit of committed work runs, and delivered between units.

Why: a command that commits unit after unit and prints what each stored (``wfengine instance
start --count N`` prints each instance's id) must never stop between a unit's commit and its
report. Python delivers SIGINT as a :class:`KeyboardInterrupt` at the next bytecode, so one
pressed during a commit came out of the call *after* the database stored it (SQLite's COMMIT
returned, then the pending signal ran): an instance stored but never printed or counted, and
"start the remaining N-K" then started one too many.

While held, the first Ctrl-C is only noted; :meth:`HeldInterrupts.deliver`, called between
units, raises it there (through the handler that was installed before, so it is the same
``KeyboardInterrupt``). A second Ctrl-C while a unit still runs stops it at once, as Ctrl-C
did before: a unit stuck (a database retrying an outage, a lock wait) must stay
interruptible; :attr:`HeldInterrupts.forced` then says the unit's outcome is unknown.

Nothing is held outside the main thread (Python runs signal handlers there only) or when
SIGINT's handler is not Python's (ignored, or the default action): those behave as before.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

_Handler = Callable[[int, FrameType | None], Any]


class HeldInterrupts:
    """The Ctrl-C noted while a unit ran, for :meth:`deliver` to raise between units."""

    def __init__(self, previous: _Handler | None) -> None:
        self._previous = previous  # None: nothing is held (see the module notes)
        self._pending = False
        #: a second Ctrl-C stopped a unit midway: whether it was stored is not known
        self.forced = False

    def on_sigint(self, signum: int, frame: FrameType | None) -> None:
        """The SIGINT handler while held: note the first, let a second one through."""
        if self._previous is None:
            return
        if self._pending:
            self.forced = True
            self._previous(signum, frame)
        self._pending = True

    def deliver(self) -> None:
        """Between units: stop here for a Ctrl-C noted during the last one."""
        if self._pending and self._previous is not None:
            self._pending = False
            self._previous(signal.SIGINT, None)


@contextmanager
def interrupts_held() -> Iterator[HeldInterrupts]:
    """Hold Ctrl-C off inside the block; the block calls :meth:`HeldInterrupts.deliver`
    before each unit. The handler before is back afterwards. A Ctrl-C noted during the last
    unit is dropped: the block ended, there is nothing left for it to stop, so the command
    ends as it would have (every unit's outcome already reported)."""
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(previous):
        yield HeldInterrupts(None)
        return
    held = HeldInterrupts(previous)
    signal.signal(signal.SIGINT, held.on_sigint)
    try:
        yield held
    finally:
        signal.signal(signal.SIGINT, previous)
