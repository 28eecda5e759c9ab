"""Points where work the caller holds Ctrl-C off for may still be stopped, nothing of it stored.

Why: a command that holds Ctrl-C off while a unit of work commits (``wfengine instance start
--count N``: an instance stored must have its id printed, see
:mod:`wfengine.cli.held_interrupts`) noted a Ctrl-C and acted on it only between units; a unit
waiting for a database (a SQLite write lock another process holds, an outage) kept retrying
for about a minute and then failed, the Ctrl-C ignored. The runtime cannot know the command
(it must not import the CLI), so the command installs a check for the block it holds
(:func:`stops_at_points`) and the runtime calls :func:`interrupt_point` where stopping stores
nothing: the store's retry back-off, before each wait, every attempt so far rolled back.

The check is a context variable: it holds in the thread (and context) that installed it only;
threads the work starts (lease renewal) begin with none, so they never stop there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_check: ContextVar[Callable[[], None] | None] = ContextVar("wfengine_interrupt_check", default=None)


def interrupt_point() -> None:
    """Let a Ctrl-C the caller holds stop the work here (it raises its ``KeyboardInterrupt``).
    Call it only where nothing of the work under way is stored (or left in doubt)."""
    check = _check.get()
    if check is not None:
        check()


@contextmanager
def stops_at_points(check: Callable[[], None]) -> Iterator[None]:
    """Inside the block, :func:`interrupt_point` calls ``check``; the check before is back
    afterwards."""
    token = _check.set(check)
    try:
        yield
    finally:
        _check.reset(token)
