"""An application call stopped by ``SystemExit`` or ``KeyboardInterrupt``: the command ends whole.

``sys.exit`` in an application, or Ctrl-C while one runs, raised through the engine's command
half-way. A database rolled the command back, but the memory store changes its records in
place and has no rollback: the person's work item stayed completed and the Tool activity
running, with no incident and no job, stuck for good.

Now such a call fails (:class:`~wfengine.applications.calling.CallStopped`), never retried,
as an incident (no EXCEPTION transition is taken for it), and the command goes on to its
commit without making another call. In a worker thread that is all: signals reach only the
main thread, so there the application itself raised it, and its failure is the incident (as
:meth:`~wfengine.runtime.job_commands.JobCommands.run_due_jobs` treats a job's). In the main
thread it may be the program's stop (Ctrl-C, a signal handler calling ``sys.exit``), so it is
raised again: before the commit on a store that rolls a failed command back (a database: the
command changes nothing, as before; a Worker gives its job back), after the commit on the
memory store (the incident is kept: the instance is whole, and the operator retries it).
"""

from __future__ import annotations

import logging
import threading

from wfengine.applications.calling import CallStopped

_log = logging.getLogger("wfengine.applications")

#: the stop a call of the main thread's running command raised (None: none). Only the main
#: thread sets it; others ignore it: a module's name is the cheapest look before every call
pending: SystemExit | KeyboardInterrupt | None = None


def stopped(exc: CallStopped) -> None:
    """A call raised ``exc.stop``: logged with where it was raised (an application calling
    ``sys.exit`` is a bug to find, and a worker's log is where it is looked for); in the main
    thread, raised again once the command is done.

    A ``KeyboardInterrupt`` in the main thread is the person's Ctrl-C, not a bug: it is
    logged at INFO without its traceback. Logged as an error, Python's last-resort handler
    printed the traceback of wherever the application happened to be before the CLI's
    ``Aborted!``, which is all an interrupted command is to print."""
    global pending
    main = threading.current_thread() is threading.main_thread()
    if main and isinstance(exc.stop, KeyboardInterrupt):
        _log.info("interrupted (Ctrl-C): %s", exc.message)
    else:
        _log.error("%s", exc.message, exc_info=exc.stop)
    if main:
        pending = exc.stop


def stopping() -> bool:
    """Whether a call of the command this thread runs was stopped (no further call is made)."""
    return pending is not None and threading.current_thread() is threading.main_thread()


def take_stop() -> SystemExit | KeyboardInterrupt | None:
    """The stop to raise now that the command this thread ran is ending (None: no call was
    stopped); forgotten once taken."""
    global pending
    stop = pending
    if stop is None or threading.current_thread() is not threading.main_thread():
        return None
    pending = None
    return stop
