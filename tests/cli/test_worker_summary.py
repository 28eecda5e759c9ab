"""``wfengine worker``'s last line is one summary of the whole run, whatever its worker
processes went through (found by a QA pass).

Each worker process logged its own summary: after the supervisor restarted it (a job past
``--job-timeout``, the process killed) the last line counted the last process only (5 jobs, 0
incidents where the run committed 10 and opened 1), the incident the supervisor opened for the
stopped job got no WARNING naming it, and the supervisor's own line came after the summary; a
worker process killed after ``--grace`` logged none at all. Now the worker processes report
their counts to the supervisor, which logs the summary last, and the incidents it opens as a
worker does.

Every ``wfengine worker`` here is a real process; the tests wait for what the database or the
worker's files show, each with a deadline far beyond what a busy machine needs (as
:mod:`tests.cli.test_worker_supervision`, whose setup they share).
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url
from tests.cli.test_worker_supervision import (
    FROZEN,
    HELD,
    PATIENCE,
    Setup,
    incidents,
    pid_in,
    stop,
    wait_for,
)
from wfengine.runtime.engine import Engine
from wfengine.runtime.outbox import OutboxStatus
from wfengine.runtime.states import ProcessState


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    return Setup(tmp_path)


def settled(url: str) -> int:
    """The outbox entries the run settled (no handler is subscribed: each is skipped)."""
    with Engine(db_url=url) as engine:
        return sum(e.status is not OutboxStatus.PENDING for e in engine.store.outbox_entries())


def summary(jobs: int, entries: int, opened: int) -> str:
    return (
        f"worker stopped after {jobs} job(s) and {entries} outbox entries; "
        f"{opened} incident(s) opened"
    )


def opened_warnings(log: str, iid: str) -> list[str]:
    """The WARNING lines naming an incident opened on instance ``iid``."""
    return [
        line
        for line in log.splitlines()
        if " WARNING wfengine.worker " in line and f"on instance {iid}, activity call:" in line
    ]


def completed(engine: Engine, iid: str) -> bool:
    return engine.instance(iid).state is ProcessState.COMPLETED


def test_after_a_job_timeout_the_summary_counts_every_worker_process(setup: Setup) -> None:
    """Two instances before the frozen one, one after: the first worker process commits what
    it ran before it froze, the second the rest; the supervisor's incident is counted and
    logged, its own line comes before the summary, and the summary is the last line."""
    ordinary = [setup.start(), setup.start()]
    hostile = setup.start(FROZEN)
    ordinary.append(setup.start())
    done = subprocess.run(
        setup.command("--until-idle", "--job-timeout", "2"),
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    with Engine(db_url=setup.url) as engine:
        assert all(completed(engine, iid) for iid in ordinary)
        [incident] = engine.store.open_incidents(hostile)
    lines = done.stderr.splitlines()
    assert lines[-1].endswith(summary(3, settled(setup.url), 1)), lines[-3:]
    assert lines[-2].endswith(
        "supervisor: 2 worker process(es) started, 1 job(s) stopped for running too long"
    ), lines[-3:]
    [warning] = opened_warnings(done.stderr, hostile)
    assert f"opened incident {incident.id} on instance {hostile}, activity call: " in warning
    assert sum("worker stopped after" in line for line in lines) == 1


def test_after_a_worker_process_is_killed_the_summary_counts_its_jobs(setup: Setup) -> None:
    """kill -9 of the worker process in the middle of a job: the job it committed before
    counts, with the one the next process commits, and the incident the supervisor opened."""
    first = setup.start()
    with Engine(db_url=setup.url) as engine, setup.worker() as proc:
        wait_for("the first instance completed", lambda: completed(engine, first), proc)
        victim = setup.start(HELD)
        held_pid = pid_in(setup.held)
        wait_for("the held call is under way", lambda: held_pid() is not None, proc)
        pid = held_pid()
        assert pid is not None and pid != proc.pid
        os.kill(pid, signal.SIGKILL)
        wait_for("the killed job an incident", lambda: bool(incidents(engine, victim)), proc)
        later = setup.start()  # run by the next worker process
        wait_for("a later instance completed", lambda: completed(engine, later), proc)
        assert stop(proc) == 0, setup.logged()
        [incident] = engine.store.open_incidents(victim)
    lines = setup.logged().splitlines()
    assert lines[-1].endswith(summary(2, settled(setup.url), 1)), lines[-3:]
    assert "supervisor: 2 worker process(es) started, 0 job(s)" in lines[-2], lines[-3:]
    [warning] = opened_warnings(setup.logged(), victim)
    assert f"opened incident {incident.id} on instance {victim}, activity call: " in warning


def test_a_worker_process_killed_after_the_grace_period_still_gets_a_summary(
    setup: Setup,
) -> None:
    """SIGTERM while a job is frozen: its process is killed after ``--grace``, and the summary
    (the last line) counts the job it committed before."""
    first = setup.start()
    with Engine(db_url=setup.url) as engine, setup.worker("--grace", "1") as proc:
        wait_for("the first instance completed", lambda: completed(engine, first), proc)
        setup.start(FROZEN)
        wait_for("the hostile call froze its process", setup.frozen.exists, proc)
        assert stop(proc) == 0, setup.logged()
    lines = setup.logged().splitlines()
    assert any("did not stop within 1 s: killing it" in line for line in lines), lines[-5:]
    assert lines[-1].endswith(summary(1, settled(setup.url), 0)), lines[-3:]


def test_a_stop_before_any_worker_process_started_gets_a_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM while the supervisor opens its database: no worker process starts, and the
    last line still says what the run did (nothing)."""
    from wfengine.cli import worker_cmd

    url = sqlite_url(tmp_path)
    assert cli("db", "upgrade", "--db", url).exit_code == 0
    opened = worker_cmd.open_engine

    def open_then_stopped(*args: object, **kwargs: object) -> Engine:
        engine = opened(*args, **kwargs)  # type: ignore[arg-type]
        os.kill(os.getpid(), signal.SIGTERM)
        return engine

    monkeypatch.setattr(worker_cmd, "open_engine", open_then_stopped)
    before = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        result = cli("worker", "--db", url)
    finally:
        signal.signal(signal.SIGTERM, before)
    assert result.exit_code == 0, result.output
    assert "started worker process" not in result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.endswith("worker stopped after 0 job(s) and 0 outbox entries; 0 incident(s) opened")
