"""Ctrl-C held off while one unit of committed work runs, and delivered between units.

Why: a command that commits unit after unit and prints what each stored (``wfengine instance
start --count N`` prints each instance's id) must never stop between a unit's commit and its
report. Python delivers SIGINT as a :class:`KeyboardInterrupt` at the next bytecode, so one
pressed during a commit came out of the call *after* the database stored it (SQLite's COMMIT
returned, then the pending signal ran): an instance stored but never printed or counted, and
"start the remaining N-K" then started one too many.

While held, the first Ctrl-C is noted, and the block's notice says so on stderr (once);
:meth:`HeldInterrupts.deliver`, called between units, raises it there (through the handler
that was installed before, so it is the same ``KeyboardInterrupt``). A unit waiting for its
database (a SQLite write lock another process holds, an outage the store retries for about a
minute) raises it sooner, at the store's next retry
(:func:`~wfengine.runtime.interrupt_points.interrupt_point`: each attempt so far was rolled
back, so nothing of the unit is stored). A second Ctrl-C while a unit still runs stops it at
once, as Ctrl-C did before; :attr:`HeldInterrupts.forced` then says the unit's outcome is
unknown. Presses only count apart once Python has run the handler for the first: two quick
ones during one call into C (SQLite's own busy wait) reach it as one, which the next retry
acts on as above.

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

import click

from wfengine.runtime.interrupt_points import stops_at_points

_Handler = Callable[[int, FrameType | None], Any]


class HeldInterrupts:
    """The Ctrl-C noted while a unit ran, for :meth:`deliver` to raise between units."""

    def __init__(self, previous: _Handler | None, notice: str = "") -> None:
        self._previous = previous  # None: nothing is held (see the module notes)
        self._notice = notice
        self._pending = False
        #: the notice was printed (it ended the line the terminal's ``^C`` began)
        self.noticed = False
        #: a second Ctrl-C stopped a unit midway: whether it was stored is not known
        self.forced = False

    @property
    def pending(self) -> bool:
        """A Ctrl-C was noted and not yet acted on."""
        return self._pending

    def on_sigint(self, signum: int, frame: FrameType | None) -> None:
        """The SIGINT handler while held: note the first, let a second one through."""
        if self._previous is None:
            return
        if self._pending:
            try:
                self._previous(signum, frame)
            except BaseException:
                # only a handler that stops the unit here leaves its outcome unknown (an
                # asyncio host's cancels its task instead, and returns)
                self.forced = True
                raise
            return
        self._pending = True
        self._say_notice()

    def _say_notice(self) -> None:
        """Say, once, that the Ctrl-C was heard and what a second one does. Why: a unit
        waiting for its database may take a while to reach a point where it stops, and a
        silent terminal reads as a Ctrl-C lost."""
        if self.noticed or not self._notice:
            return
        try:
            click.echo(f"\n{self._notice}", err=True)
        except RuntimeError:  # stderr was being written when the signal came: not said
            return
        self.noticed = True

    def deliver(self) -> None:
        """Between units: stop here for a Ctrl-C noted during the last one."""
        if self._pending and self._previous is not None:
            self._pending = False
            self._previous(signal.SIGINT, None)

    def at_interrupt_point(self) -> None:
        """:meth:`deliver` at a runtime's interrupt point: in the holding (main) thread only,
        where Python raises a Ctrl-C."""
        if threading.current_thread() is threading.main_thread():
            self.deliver()


@contextmanager
def interrupts_held(notice: str = "") -> Iterator[HeldInterrupts]:
    """Hold Ctrl-C off inside the block; the block calls :meth:`HeldInterrupts.deliver`
    before each unit, and the runtime's interrupt points deliver it too. ``notice`` is said
    on stderr at the first Ctrl-C. The handler before is back afterwards. A Ctrl-C noted
    during the last unit is dropped: the block ended, there is nothing left for it to stop,
    so the command ends as it would have (every unit's outcome already reported)."""
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(previous):
        yield HeldInterrupts(None)
        return
    held = HeldInterrupts(previous, notice)
    signal.signal(signal.SIGINT, held.on_sigint)
    try:
        with stops_at_points(held.at_interrupt_point):
            yield held
    finally:
        signal.signal(signal.SIGINT, previous)
