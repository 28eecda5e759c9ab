"""``wfengine worker`` supervises its worker process (issue 8, item 1): the issue's check.

A hostile application spins in one C call that holds the GIL (``sum(range(10**13))``): its
worker process freezes entirely (no signal handler, no lease-renewal thread runs). The
supervisor must keep the job's lease, stop the process after ``--job-timeout``, make the job
an incident and carry on with a fresh process; and it must stop within ``--grace`` of SIGTERM
even while a job is frozen. A worker process killed from outside in the middle of a job is
handled the same way.

Every ``wfengine worker`` here is a real process. Nothing assumes how fast the machine is
(issue 9): the tests wait for what the database or the worker's files show (the application
reached its hostile call, a lease renewed, an incident, an instance completed), each with a
deadline (:data:`PATIENCE`) far beyond what a busy machine needs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.cli.databases import automatic, cli, sqlite_url, write
from wfengine.runtime.engine import Engine
from wfengine.runtime.jobs import PARKED
from wfengine.runtime.states import ProcessState

#: the longest any wait for the worker may take: reaching it means stuck, not slow
PATIENCE = 120.0
FROZEN, HELD = 666, 777

#: ``add`` freezes its process for v=666 (after writing the process id to ``frozen``), waits
#: for ``release`` for v=777 (after writing the process id to ``held``), and adds 1 otherwise
APPS = """
import os, pathlib, time

def register(r):
    def add(v):
        if v == {frozen_v}:
            pathlib.Path({frozen!r}).write_text(str(os.getpid()))
            sum(range(10**13))  # one C call, holding the GIL for hours
        if v == {held_v}:
            pathlib.Path({held!r}).write_text(str(os.getpid()))
            deadline = time.monotonic() + {patience!r}
            while not pathlib.Path({release!r}).exists() and time.monotonic() < deadline:
                time.sleep(0.02)
        return {{"v": v + 1}}

    r.register("add", add)
"""


class Setup:
    """A database with the ``automatic`` process deployed, and the ``--apps`` file."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.url = sqlite_url(tmp_path)
        self.xpdl = write(tmp_path, automatic())
        self.frozen, self.held = tmp_path / "frozen", tmp_path / "held"
        self.release = tmp_path / "release"
        self.apps = tmp_path / "hostile_apps.py"
        self.apps.write_text(
            APPS.format(
                frozen_v=FROZEN,
                held_v=HELD,
                frozen=str(self.frozen),
                held=str(self.held),
                release=str(self.release),
                patience=PATIENCE,
            )
        )
        self.log = tmp_path / "worker.log"

    def start(self, v: int | None = None) -> str:
        extra = ["--set", f"v={v}"] if v is not None else []
        result = cli("instance", "start", self.xpdl, "--db", self.url, *extra)
        assert result.exit_code == 0, result.output
        return result.stdout.strip()

    def command(self, *options: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "wfengine.cli.main",
            "worker",
            "--db",
            self.url,
            "--apps",
            str(self.apps),
            "--poll",
            "0.1",
            *options,
        ]

    @contextmanager
    def worker(self, *options: str) -> Iterator[subprocess.Popen[bytes]]:
        """A long-running worker (its log in :attr:`log`); killed if the test leaves it."""
        with open(self.log, "ab") as log:
            proc = subprocess.Popen(self.command(*options), stderr=log)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    def logged(self) -> str:
        return self.log.read_text()


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    return Setup(tmp_path)


def wait_for(what: str, reached: Callable[[], bool], proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + PATIENCE
    while not reached():
        assert proc.poll() is None, f"the worker exited with {proc.returncode} before {what}"
        assert time.monotonic() < deadline, f"not {what} after {PATIENCE:.0f} s"
        time.sleep(0.02)


def stop(proc: subprocess.Popen[bytes]) -> int:
    proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout=PATIENCE)


def pid_in(path: Path) -> Callable[[], int | None]:
    def read() -> int | None:
        text = path.read_text() if path.exists() else ""
        return int(text) if text else None

    return read


def incidents(engine: Engine, iid: str) -> list[str]:
    return [i.message for i in engine.incidents(iid)]


def test_a_job_holding_the_gil_becomes_an_incident_and_the_rest_runs(setup: Setup) -> None:
    """The issue's check: one hostile job and one ordinary job under ``--job-timeout 2``."""
    hostile, ordinary = setup.start(FROZEN), setup.start()
    with (
        Engine(db_url=setup.url) as engine,
        setup.worker("--job-timeout", "2", "--lease", "0.6") as proc,
    ):
        frozen_pid = pid_in(setup.frozen)
        wait_for("the hostile call froze its process", lambda: frozen_pid() is not None, proc)
        [job] = engine.jobs(hostile)
        owner, first = job.lock_owner, job.lock_expires_at
        assert owner is not None and owner.split(":")[-2] == str(proc.pid)  # named by `worker`
        assert first is not None
        expiries = [first]

        def renewed_twice() -> bool:
            """The frozen process renews nothing (one renewal of its own may have been under
            way as it froze): two renewals in a row are the supervisor's."""
            [now] = engine.jobs(hostile)
            assert incidents(engine, hostile) == [], "stopped before two renewals"
            assert now.lock_owner == owner, f"taken over by {now.lock_owner}"
            assert now.lock_expires_at is not None
            if now.lock_expires_at > expiries[-1]:
                expiries.append(now.lock_expires_at)
            return len(expiries) >= 3

        wait_for("the lease renewed twice while frozen", renewed_twice, proc)
        wait_for("the hostile job an incident", lambda: bool(incidents(engine, hostile)), proc)
        wait_for(
            "the ordinary instance completed",
            lambda: engine.instance(ordinary).state is ProcessState.COMPLETED,
            proc,
        )
        assert stop(proc) == 0, setup.logged()
        [message] = incidents(engine, hostile)
        assert "ran longer than 2 s (--job-timeout)" in message
        assert "the worker process running it was stopped" in message
        [parked] = engine.jobs(hostile)
        assert parked.due == PARKED and parked.lock_owner is None
        assert engine.instance(hostile).data["v"] == FROZEN  # nothing of it was committed
        assert engine.instance(ordinary).data["v"] == 2
    log = setup.logged()
    assert log.count("started worker process") == 2
    assert f"started worker process {frozen_pid()}" in log


def test_sigterm_stops_within_the_grace_period_while_a_job_is_frozen(setup: Setup) -> None:
    """A frozen process ignores SIGTERM; after ``--grace`` it is killed and its job given
    back (not an incident: the job timeout, far away, had nothing to do with it)."""
    hostile = setup.start(FROZEN)
    with (
        Engine(db_url=setup.url) as engine,
        setup.worker("--job-timeout", "600", "--grace", "1") as proc,
    ):
        wait_for("the hostile call froze its process", setup.frozen.exists, proc)
        assert stop(proc) == 0, setup.logged()
        [job] = engine.jobs(hostile)
        assert job.lock_owner is None and job.due != PARKED  # given back, due again
        assert incidents(engine, hostile) == []
    assert "did not stop within 1 s: killing it" in setup.logged()


def test_a_worker_process_killed_mid_job_makes_an_incident_and_work_goes_on(
    setup: Setup,
) -> None:
    victim = setup.start(HELD)
    with Engine(db_url=setup.url) as engine, setup.worker() as proc:
        held_pid = pid_in(setup.held)
        wait_for("the held call is under way", lambda: held_pid() is not None, proc)
        pid = held_pid()
        assert pid is not None and pid != proc.pid
        os.kill(pid, signal.SIGKILL)
        wait_for("the killed job an incident", lambda: bool(incidents(engine, victim)), proc)
        [message] = incidents(engine, victim)
        assert "the worker process running it died (killed by SIGKILL)" in message
        later = setup.start()  # run by the next worker process
        wait_for(
            "a later instance completed",
            lambda: engine.instance(later).state is ProcessState.COMPLETED,
            proc,
        )
        assert stop(proc) == 0, setup.logged()
    assert setup.logged().count("started worker process") == 2


def test_until_idle_exits_0_after_a_frozen_job_was_stopped(setup: Setup) -> None:
    hostile, ordinary = setup.start(FROZEN), setup.start()
    done = subprocess.run(
        setup.command("--until-idle", "--job-timeout", "2"),
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "no job is due: idle, stopping" in done.stderr
    with Engine(db_url=setup.url) as engine:
        assert engine.instance(ordinary).state is ProcessState.COMPLETED
        [message] = incidents(engine, hostile)
        assert "ran longer than 2 s (--job-timeout)" in message


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_killing_the_worker_outright_leaves_no_worker_process_behind(setup: Setup) -> None:
    """SIGKILL to ``wfengine worker`` takes its worker process along (the kernel kills it
    when its parent dies), so a killed worker still loses only leases, as before."""
    setup.start(HELD)
    with setup.worker() as proc:
        held_pid = pid_in(setup.held)
        wait_for("the held call is under way", lambda: held_pid() is not None, proc)
        pid = held_pid()
        assert pid is not None
        proc.kill()
        proc.wait(timeout=PATIENCE)
        deadline = time.monotonic() + PATIENCE
        while _alive(pid):
            assert time.monotonic() < deadline, f"worker process {pid} outlived its supervisor"
            time.sleep(0.02)


def _alive(pid: int) -> bool:
    """Is ``pid`` a live process (not gone, not a zombie nobody reaped yet)?"""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_stop_asked_for_while_starting_ends_it_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM while the supervisor opens its database (imports and connecting take a
    moment on a busy machine) killed the process, exit 143; it is kept and honoured: no
    worker process starts and the exit is 0."""
    from wfengine.cli import worker_cmd

    url = sqlite_url(tmp_path)
    assert cli("db", "upgrade", "--db", url).exit_code == 0
    opened = worker_cmd.open_engine

    def open_then_stopped(*args: object, **kwargs: object) -> Engine:
        engine = opened(*args, **kwargs)  # type: ignore[arg-type]
        os.kill(os.getpid(), signal.SIGTERM)  # as a service manager would, right now
        return engine

    monkeypatch.setattr(worker_cmd, "open_engine", open_then_stopped)
    missed: list[int] = []  # the signal reached no handler of the command's (not this run's)
    before = signal.signal(signal.SIGTERM, lambda signum, _frame: missed.append(signum))
    try:
        result = cli("worker", "--db", url)
        assert result.exit_code == 0, result.output
        assert missed == []
        assert signal.getsignal(signal.SIGTERM) is not before  # ours again, after the command
    finally:
        signal.signal(signal.SIGTERM, before)
