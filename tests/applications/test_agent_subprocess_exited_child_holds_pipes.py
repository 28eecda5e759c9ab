"""A program that exited with its answer while a child it started holds its stdout or stderr
open (a daemon) is answered by what it printed and its exit status: the call waited for the
child until the timeout, reported "no answer; the program was killed", and the program, which
had done its work, was run again. Not before its stdout holds a whole JSON value, though: the
answer may be the child's, printed after the program exited (a shell wrapper), and it was lost."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from wfengine.applications.agents import subprocess_agent
from wfengine.applications.agents.subprocesses import ProcessFailedError
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import ApplicationTimeoutError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")


@pytest.fixture
def child_pid_file(tmp_path: Path) -> Iterator[Path]:
    """Where the program writes its background child's pid; the child is killed afterwards."""
    path = tmp_path / "child.pid"
    yield path
    if path.exists() and (text := path.read_text().strip()):
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(text), signal.SIGKILL)


def _program(child_pid_file: Path, then: str) -> list[str]:
    """A shell that starts a child holding its stdout and stderr, then does ``then``."""
    return ["/bin/sh", "-c", f"sleep 30 & echo $! > '{child_pid_file}'; {then}"]


def test_the_answer_it_printed_before_exiting_is_the_answer(child_pid_file: Path) -> None:
    call = subprocess_agent(_program(child_pid_file, """echo '{"y": 6}'"""), timeout=5)
    fds, threads = set(os.listdir("/proc/self/fd")), set(threading.enumerate())
    assert call() == {"y": 6}
    assert set(os.listdir("/proc/self/fd")) - fds == set()  # no pipe left behind
    assert set(threading.enumerate()) - threads == set()


def test_its_exit_status_fails_the_call_with_its_stderr(child_pid_file: Path) -> None:
    call = subprocess_agent(_program(child_pid_file, "echo 'disk full' >&2; exit 3"), timeout=5)
    with pytest.raises(ProcessFailedError, match="status 3: disk full"):
        call()


def test_the_program_runs_once_and_the_instance_goes_on(
    child_pid_file: Path, tmp_path: Path
) -> None:
    runs = tmp_path / "runs"
    then = f"""echo x >> '{runs}'; echo '{{"y": 6}}'"""
    engine = Engine(clock=VirtualClock())
    engine.applications.sleep = lambda seconds: None
    engine.applications.register(
        "a", subprocess_agent(_program(child_pid_file, then), timeout=5), retries=1
    )
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("y", "INTEGER")
    p.application("a", params=[("y", "OUT", "INTEGER")])
    p.activity("call", tool="a", args=["y"])
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    assert engine.incidents(iid) == []
    assert engine.instance(iid).data["y"] == 6
    assert runs.read_text().split() == ["x"]


#: a child of the shell that waits until the agent has seen the shell exit (and reaped it),
#: then a second more (longer than the agent once read after an exit)
_AFTER_EXIT = "while kill -0 $$ 2>/dev/null; do sleep 0.01; done; sleep 1"


@pytest.mark.parametrize(
    ("program", "child"),
    [
        pytest.param("", """echo '{"y": 6}'""", id="the-child-prints-it"),
        pytest.param("""printf '{"y": '""", "echo '6}'", id="the-child-ends-it"),
        pytest.param("", """echo '{"y": 6}'; exec sleep 30""", id="and-holds-the-pipes"),
    ],
)
def test_an_answer_the_child_prints_after_the_program_exited_is_the_answer(
    child_pid_file: Path, program: str, child: str
) -> None:
    # a shell wrapper that exits at once, leaving the job that answers: its answer was lost
    # (no outputs; or the half printed before the exit, refused as non-JSON for good)
    script = f"{program}\n( {_AFTER_EXIT}; {child} ) & echo $! > '{child_pid_file}'"
    fds, threads = set(os.listdir("/proc/self/fd")), set(threading.enumerate())
    assert subprocess_agent(["/bin/sh", "-c", script], timeout=30)() == {"y": 6}
    assert set(os.listdir("/proc/self/fd")) - fds == set()
    assert set(threading.enumerate()) - threads == set()


def test_nothing_printed_by_the_time_it_exited_waits_for_the_child_until_the_timeout(
    child_pid_file: Path,
) -> None:
    # the answer may still come from the child holding its stdout (as above)
    call = subprocess_agent(_program(child_pid_file, "exit 0"), timeout=1)
    with pytest.raises(ApplicationTimeoutError, match="no answer within 1 s"):
        call()
