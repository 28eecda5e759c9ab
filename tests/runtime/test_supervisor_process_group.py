"""What a job started dies with the job: the programs a stopped worker process started (a
subprocess agent's) are killed with it, not left to finish their side effects under init.

The worker process here is a scripted child (as in ``test_supervisor.py``) that starts a
long-running program, as a subprocess agent does for a job, and writes its pid to a file; then
it hangs, dies or ignores SIGTERM. Whatever ends the child (the job timeout, its own death
mid-job, a stop past the grace period), the program must be gone soon after. Nothing here
assumes how fast the machine is: each wait has a deadline (:data:`PATIENCE`) far beyond what a
busy machine needs.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.supervisor import Supervisor

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads process states from /proc"
)

PATIENCE = 120.0
OWNER = "host:1:child"

#: argv: the event descriptor, the job id, the program's pid file, what to do then ("hang",
#: "die" or "ignore-term-and-hang") and the lease owner it reports as
CHILD = """
import json, os, signal, subprocess, sys, time
out = os.fdopen(int(sys.argv[1]), "wb", buffering=0)
def event(name):
    line = {"event": name, "owner": sys.argv[5], "jobs": [sys.argv[2]]}
    out.write((json.dumps(line) + "\\n").encode())
if sys.argv[4] == "ignore-term-and-hang":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
event("claimed")
event("start")
program = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
with open(sys.argv[3], "w") as f:
    f.write(str(program.pid))
if sys.argv[4] == "die":
    os.kill(os.getpid(), signal.SIGKILL)
while True:
    time.sleep(1)
"""


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("auto").activity("end").transition("auto", "end")
    with Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}") as engine:
        engine.deploy(pb.build(), check_bindings=False)
        yield engine


def _claimed_job(engine: Engine) -> str:
    engine.start_process("main", defer=True)
    now = engine.clock.now()
    [job] = engine.store.claim_jobs(OWNER, now, now + timedelta(seconds=60), 1)
    return job.id


def _children(job: str, pid_file: Path, then: str) -> Callable[[int], Sequence[str]]:
    """The first child runs the job's program and then does ``then``; later ones exit idle."""
    started: list[int] = []

    def command(fd: int) -> list[str]:
        started.append(fd)
        if len(started) > 1:
            return [sys.executable, "-c", "import sys; sys.exit(0)"]
        return [sys.executable, "-c", CHILD, str(fd), job, str(pid_file), then, OWNER]

    return command


def _alive(pid: int) -> bool:
    """Is ``pid`` a live process (not gone, not a zombie nobody reaped yet)?"""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.fixture
def pid_file(tmp_path: Path) -> Iterator[Path]:
    """Where the child writes its program's pid; a program still alive at the end is killed
    (the test failed), so none sleeps on after the tests."""
    path = tmp_path / "program.pid"
    yield path
    if path.exists() and path.read_text() and _alive(int(path.read_text())):
        os.kill(int(path.read_text()), signal.SIGKILL)


def _program(pid_file: Path) -> int:
    deadline = time.monotonic() + PATIENCE
    while not (pid_file.exists() and pid_file.read_text()):
        assert time.monotonic() < deadline, "the child never started its program"
        time.sleep(0.01)
    return int(pid_file.read_text())


def _gone(pid: int) -> bool:
    deadline = time.monotonic() + PATIENCE
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _run(supervisor: Supervisor) -> tuple[threading.Thread, list[int]]:
    status: list[int] = []
    thread = threading.Thread(target=lambda: status.append(supervisor.run()), daemon=True)
    thread.start()
    return thread, status


def test_a_job_stopped_for_running_too_long_takes_its_programs_along(
    engine: Engine, pid_file: Path
) -> None:
    job = _claimed_job(engine)
    supervisor = Supervisor(_children(job, pid_file, "hang"), engine, job_timeout=0.5)
    thread, status = _run(supervisor)
    program = _program(pid_file)
    thread.join(PATIENCE)
    assert status == [0] and supervisor.timed_out == 1
    assert _gone(program), f"program {program} outlived the job stopped for its timeout"
    [incident] = engine.incidents()
    assert "ran longer than 0.5 s" in incident.message


def _die_mid_job(engine: Engine, pid_file: Path) -> None:
    """A worker process dies in the middle of a job: the programs it started must go too."""
    job = _claimed_job(engine)
    supervisor = Supervisor(_children(job, pid_file, "die"), engine, job_timeout=600)
    thread, status = _run(supervisor)
    program = _program(pid_file)
    thread.join(PATIENCE)
    assert status == [0]
    assert _gone(program), f"program {program} outlived the worker process that died"
    [incident] = engine.incidents()
    assert "the worker process running it died" in incident.message


def test_the_programs_of_a_worker_process_that_died_mid_job_are_stopped(
    engine: Engine, pid_file: Path
) -> None:
    _die_mid_job(engine, pid_file)


def test_a_worker_process_whose_last_events_were_not_read_yet_when_it_died_is_stopped_too(
    engine: Engine, pid_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a busy machine the thread reading the child's events had not yet handed on its
    "start" when the supervisor saw the child dead: no job looked running, so the program
    the job started was left running under init (seen once in a full test run). Here the
    events are held back until the supervisor has seen the death, every time."""
    from wfengine.runtime import supervisor as supervisor_module
    from wfengine.runtime.child_process import ended as real_ended

    seen_dead = threading.Event()
    real_read = Supervisor._read_events

    def ended(proc: object) -> bool:
        found = real_ended(proc)  # type: ignore[arg-type]
        if found:
            seen_dead.set()
        return found

    def read_late(self: Supervisor, stream: object, generation: int) -> None:
        seen_dead.wait(PATIENCE)
        real_read(self, stream, generation)  # type: ignore[arg-type]

    monkeypatch.setattr(supervisor_module, "ended", ended)
    monkeypatch.setattr(Supervisor, "_read_events", read_late)
    _die_mid_job(engine, pid_file)


def test_a_stop_past_the_grace_period_takes_the_programs_along(
    engine: Engine, pid_file: Path
) -> None:
    job = _claimed_job(engine)
    supervisor = Supervisor(
        _children(job, pid_file, "ignore-term-and-hang"), engine, job_timeout=600, grace=0.2
    )
    thread, status = _run(supervisor)
    program = _program(pid_file)
    supervisor.on_signal(signal.SIGTERM)
    thread.join(PATIENCE)
    assert status == [0]
    assert _gone(program), f"program {program} outlived the worker process stopped at grace"
    assert engine.incidents() == []  # given back, not an incident: it runs again
    assert [j.lock_owner for j in engine.jobs()] == [None]
