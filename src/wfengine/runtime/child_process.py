"""What the worker supervisor does to and with its child process at the operating-system level:
tell whether it ended without reaping it, kill it with its process group, stop and continue
that group with the supervisor, copy its standard error, describe how it ended.

Why a module of its own: these are plain process operations with no job, lease or database in
them, used by :class:`~wfengine.runtime.supervisor.Supervisor` (see that module for why there
is a child at all), and they keep the supervisor's module to its loop and its decisions.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import IO, Any


def ended(proc: subprocess.Popen[bytes]) -> bool:
    """Has the child ended? It is not reaped here (``os.waitid`` with ``WNOWAIT``), so its
    pid, which is its process group's id, cannot name another process before
    :func:`kill_group` has stopped what is left of the group."""
    if proc.returncode is not None:
        return True
    waitid = getattr(os, "waitid", None)
    if waitid is None:  # (not on every platform: the plain way, reaping it)
        return proc.poll() is not None
    try:
        found = waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:  # reaped already (by a wait of Popen's own)
        return proc.poll() is not None
    return found is not None


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the child and every process of its process group: the programs its jobs
    started (a subprocess agent's) are stopped with the job, not left to finish their side
    effects under init. (A program that made a session of its own is beyond reach.)"""
    with contextlib.suppress(OSError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        proc.kill()  # (the child itself, should its group be another: a no-op after killpg)


def forward_job_control(signal_group: Callable[[int], None]) -> dict[int, Any]:
    """Stop and continue the child with this process (``signal_group(signum)`` signals the
    child's process group): it leads a process group of its own, which a terminal's Ctrl-Z
    (SIGTSTP, sent to the foreground process group) does not reach. Installed from the main
    thread only (where signal handlers run); returns the handlers to restore."""
    if threading.current_thread() is not threading.main_thread():
        return {}

    def stop(signum: int, _frame: FrameType | None) -> None:
        signal_group(signal.SIGSTOP)
        signal.signal(signum, signal.SIG_DFL)
        try:  # stopped here until continued (not at all in an orphaned process group,
            os.kill(os.getpid(), signum)  # where the kernel discards a terminal's stop)
        finally:
            signal.signal(signum, stop)
            signal_group(signal.SIGCONT)

    def resume(_signum: int, _frame: FrameType | None) -> None:
        signal_group(signal.SIGCONT)

    return {
        signal.SIGTSTP: signal.signal(signal.SIGTSTP, stop),
        signal.SIGCONT: signal.signal(signal.SIGCONT, resume),
    }


def relay(stream: IO[bytes]) -> None:
    """Copy the child's standard error to ours, line by line (to whatever ``sys.stderr`` is
    when a line comes, as the log handlers do)."""
    with stream:
        for line in stream:
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(line.decode(errors="replace"))
                sys.stderr.flush()


def describe(status: int) -> str:
    """A child's exit as words: ``exit status 3`` or ``killed by SIGKILL``."""
    if status >= 0:
        return f"exit status {status}"
    try:
        return f"killed by {signal.Signals(-status).name}"
    except ValueError:
        return f"killed by signal {-status}"
