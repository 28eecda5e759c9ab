"""A program that exited with its answer while a child it started holds its stdout or stderr
open (a daemon) is answered by what it printed and its exit status: the call waited for the
child until the timeout, reported "no answer; the program was killed", and the program, which
had done its work, was run again. Not while its stdout keeps coming, though, or before it has
been quiet for the grace (EXIT_GRACE) unless it holds a whole JSON value: the answer may be the
child's, printed after the program exited (a shell wrapper), and it was lost. And not until the
timeout either: a program that printed nothing (no outputs) or non-JSON, with a daemon holding
its stdout, was reported as not answering and run again (its side effect twice)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from wfengine.applications.agents import subprocess_agent
from wfengine.applications.agents.subprocesses import EXIT_GRACE, ProcessFailedError
from wfengine.applications.registry import ApplicationFunc
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import ApplicationTimeoutError, PermanentApplicationError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")


def _program(child_pid_file: Path, then: str) -> list[str]:
    """A shell that starts a child holding its stdout and stderr (longer than any timeout
    here), then does ``then``."""
    return ["/bin/sh", "-c", f"sleep 60 & echo $! > '{child_pid_file}'; {then}"]


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


def _run_once(call: ApplicationFunc, out: bool) -> tuple[Engine, str]:
    """An instance of a process whose one activity calls ``call`` (retried once), with OUT
    parameter ``y`` when ``out``."""
    engine = Engine(clock=VirtualClock())
    engine.applications.sleep = lambda seconds: None
    engine.applications.register("a", call, retries=1)
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("y", "INTEGER")
    p.application("a", params=[("y", "OUT", "INTEGER")] if out else [])
    p.activity("call", tool="a", args=["y"] if out else [])
    engine.deploy(pb.build())
    return engine, engine.start_process("main")


def test_the_program_runs_once_and_the_instance_goes_on(
    child_pid_file: Path, tmp_path: Path
) -> None:
    runs = tmp_path / "runs"
    then = f"""echo x >> '{runs}'; echo '{{"y": 6}}'"""
    engine, iid = _run_once(subprocess_agent(_program(child_pid_file, then), timeout=10), True)
    assert engine.incidents(iid) == []
    assert engine.instance(iid).data["y"] == 6
    assert runs.read_text().split() == ["x"]


def test_a_program_printing_nothing_runs_once_and_the_instance_goes_on(
    child_pid_file: Path, tmp_path: Path
) -> None:
    # no outputs: an application without OUT parameters starting a server (`nohup server &`);
    # it waited for the daemon until the timeout, and was run again
    runs = tmp_path / "runs"
    call = subprocess_agent(_program(child_pid_file, f"echo x >> '{runs}'"), timeout=10)
    engine, iid = _run_once(call, False)
    assert engine.incidents(iid) == []
    assert engine.instance(iid).state == "closed.completed"
    assert runs.read_text().split() == ["x"]


#: a child of the shell that waits until the agent has seen the shell exit (and reaped it),
#: then a second more (longer than the agent once read after an exit, well within EXIT_GRACE)
_AFTER_EXIT = "while kill -0 $$ 2>/dev/null; do sleep 0.01; done; sleep 1"


@pytest.mark.parametrize(
    ("program", "child"),
    [
        pytest.param("", """echo '{"y": 6}'""", id="the-child-prints-it"),
        pytest.param("""printf '{"y": '""", "echo '6}'", id="the-child-ends-it"),
        pytest.param("", """echo '{"y": 6}'; exec sleep 30""", id="and-holds-the-pipes"),
        # the answer keeps coming, in all for longer than the grace after the exit
        pytest.param(
            "",
            """printf '{"y": '; sleep 1; printf '6'; sleep 1; echo '}'; exec sleep 30""",
            id="slowly-past-the-grace",
        ),
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


@pytest.mark.parametrize(
    "timeout",
    [
        pytest.param(10, id="quiet-for-the-grace"),
        pytest.param(EXIT_GRACE / 2, id="quiet-until-a-shorter-timeout"),
    ],
)
def test_nothing_printed_with_a_daemon_holding_stdout_is_no_outputs(
    child_pid_file: Path, timeout: float
) -> None:
    # it waited for the daemon until the timeout: "no answer; the program was killed", retried
    call = subprocess_agent(_program(child_pid_file, "exit 0"), timeout=timeout)
    assert call() is None


def test_non_json_with_a_daemon_holding_stdout_is_refused_for_good(child_pid_file: Path) -> None:
    # it waited for the daemon until the timeout, and was retried instead of refused
    call = subprocess_agent(_program(child_pid_file, "echo OK"), timeout=10)
    with pytest.raises(PermanentApplicationError, match="printed non-JSON"):
        call()


def test_a_half_answer_at_the_timeout_says_the_program_exited(child_pid_file: Path) -> None:
    # the program had exited, a child holding its stdout: the message said "the program was
    # killed", and the operator looked for a program that hung
    then = """printf '{"y": '"""
    call = subprocess_agent(_program(child_pid_file, then), timeout=1, exit_grace=None)
    with pytest.raises(ApplicationTimeoutError) as raised:
        call()
    assert "the program exited, but a program it started kept its output open" in str(raised.value)
    assert "killed" not in str(raised.value)
