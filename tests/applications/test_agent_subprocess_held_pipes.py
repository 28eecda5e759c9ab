"""A program may start a child that keeps its stdout or stderr open (a daemon it starts): the
subprocess agent gives up on such a call at its timeout or its answer limit, and leaves nothing
of the call behind in the engine's process.

Before, each timed-out call left two pipes and two reader threads, blocked on those pipes, for
as long as the child lived; and a program printing past the limit while its child held stderr
made the call wait for the timeout and fail as a timeout (retried, the program run again)
instead of failing at once, for good, at the limit.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from wfengine.applications.agents import subprocess_agent
from wfengine.errors import ApplicationTimeoutError, PermanentApplicationError

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")


def _open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


def test_a_timed_out_call_leaves_no_pipe_or_thread_behind(child_pid_file: Path) -> None:
    """The child keeps the pipes open past the timeout; the call's own side ends with it. (A
    program that has exited is answered by what it printed, its child holding the pipes or
    not: test_agent_subprocess_exited_child_holds_pipes.py.)"""
    script = f"sleep 30 & echo $! > '{child_pid_file}'; exec sleep 30"
    call = subprocess_agent(["/bin/sh", "-c", script], timeout=1.0)
    fds, threads = _open_fds(), set(threading.enumerate())
    with pytest.raises(ApplicationTimeoutError, match="no answer within 1 s"):
        call()
    assert _open_fds() - fds == set()
    assert set(threading.enumerate()) - threads == set()


def test_over_the_limit_while_a_child_holds_stderr_fails_at_once_for_good(
    child_pid_file: Path,
) -> None:
    """Were the call to wait for stderr's end, it would end at the timeout as a timeout, and
    be retried."""
    script = f"sleep 30 >/dev/null & echo $! > '{child_pid_file}'; exec yes"
    call = subprocess_agent(["/bin/sh", "-c", script], timeout=20, max_answer=1000)
    fds = _open_fds()
    with pytest.raises(PermanentApplicationError, match="printed more than 1,000 bytes"):
        call()
    assert _open_fds() - fds == set()
