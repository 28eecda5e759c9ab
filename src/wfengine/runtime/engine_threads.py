"""Which thread an engine's running command belongs to, as job runs and deliveries ask it.

An engine serves one thread at a time: a command holds its command lock, and a second one is
refused (:class:`~wfengine.errors.EngineInUseError`). Work that claims before its command (due
jobs, outbox entries) must ask first, or it claims what it cannot run: a job claimed and then
refused was counted a failure (an incident, or a back-off), and an asynchronous application's
call was made and its answer dropped.

Why a shared :class:`~wfengine.runtime.clock.VirtualClock` matters here: a clock moved in one
thread fires the timers of every engine on it, a :class:`~wfengine.runtime.worker.Worker`
thread's engine too. Such an engine is borrowed for its timers when its own thread is not
using it; when it is, its timers wait for that thread (:meth:`JobCommands.fire_due_timers
<wfengine.runtime.job_commands.JobCommands.fire_due_timers>`), and while the clock's thread
holds it, its own thread's job runs and deliveries find nothing to do rather than fail.
"""

from __future__ import annotations

import threading
from typing import Protocol

from wfengine.errors import EngineInUseError
from wfengine.runtime.command_callbacks import inside_command


class CommandHeld(Protocol):
    """What :func:`held_here` reads of an engine (``EngineBase.close`` asks it too)."""

    _in_command: bool
    #: the running command's own mark (see :mod:`~wfengine.runtime.command_callbacks`)
    _command_mark: object


class CommandThreads(CommandHeld, Protocol):
    """What these questions read of an engine (:class:`~wfengine.runtime.engine.Engine`)."""

    _command_lock: threading.Lock
    _command_thread: int
    #: the thread running the outermost ``fire_due_timers`` (0: none)
    _firing_thread: int


def held_here(engine: CommandHeld) -> bool:
    """Is the calling code inside one of ``engine``'s commands (a call back into it), in the
    command's thread or in a helper thread of the engine's running a copy of its context (a
    binding with ``timeout=``, an ``async def`` application under a running event loop: see
    :mod:`~wfengine.runtime.command_callbacks`)? Comparing threads missed the helper: its
    ``close()`` waited for the command, which waited for it, until the call was abandoned."""
    return engine._in_command and inside_command(engine._command_mark)


def held_elsewhere(engine: CommandThreads) -> bool:
    """Does another thread hold ``engine``'s command lock (a command running, or beginning:
    the lock is taken before ``_in_command`` is set, so the lock is what is asked)?"""
    return engine._command_lock.locked() and not held_here(engine)


def firing_elsewhere(engine: CommandThreads) -> bool:
    """Is another thread firing ``engine``'s due timers (a virtual clock moved there), holding
    it now? Its own thread then has nothing to claim: the timers are being run, and anything
    else waits for its next round."""
    firing = engine._firing_thread
    return firing not in (0, threading.get_ident()) and held_elsewhere(engine)


class Unrun(Exception):
    """A job's command was refused before it began (another thread holds the engine): the
    job goes back unrun (no attempt, no back-off), and ``refusal`` is raised."""

    def __init__(self, refusal: EngineInUseError) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal
