"""``wfengine worker``: runs due jobs, until idle or until a signal, logging what it does.

Nothing here assumes how fast the machine is (issue 9): the signal test holds the running
application call until the worker has logged that it got the signal, and waits for events with
deadlines (:data:`PATIENCE`) far beyond what a busy machine needs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.cli.databases import UNREACHABLE, automatic, cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState

#: the longest any wait for the worker may take: reaching it means stuck, not slow
PATIENCE = 120.0


@pytest.fixture
def url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


@pytest.fixture
def apps(tmp_path: Path) -> str:
    path = tmp_path / "apps.py"
    path.write_text("def register(r):\n    r.register('add', lambda v: {'v': v + 1})\n")
    return str(path)


def test_until_idle_runs_every_instance_once_and_exits_0(
    tmp_path: Path, url: str, apps: str
) -> None:
    xpdl = write(tmp_path, automatic())
    ids = cli("instance", "start", xpdl, "--db", url, "--count", "6").stdout.split()
    result = cli("worker", "--db", url, "--until-idle", "--apps", apps, "--concurrency", "2")
    assert result.exit_code == 0, result.output
    assert "2 thread(s)" in result.stderr and "idle" in result.stderr
    assert "worker stopped after 6 job(s)" in result.stderr
    with Engine(db_url=url) as engine:
        for iid in ids:
            assert engine.instance(iid).state is ProcessState.COMPLETED
            started = Counter(
                e.activity_id for e in engine.audit(iid) if e.kind == "activity.started"
            )
            assert set(started.values()) == {1}
        assert engine.jobs() == []


def test_unbound_applications_are_reported_and_become_incidents(tmp_path: Path, url: str) -> None:
    xpdl = write(tmp_path, automatic())
    cli("instance", "start", xpdl, "--db", url)
    result = cli("worker", "--db", url, "--until-idle")
    assert result.exit_code == 0
    assert "application-unbound" in result.stderr and "'add'" in result.stderr
    [incident] = json.loads(cli("incidents", "--db", url, "--json").stdout)
    assert incident["application_id"] == "add"


def test_until_idle_does_not_wait_for_people_or_future_timers(tmp_path: Path, url: str) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("ask", performer="clerk", deadlines=[("PT1H", "Late", "SYNCHR")])
    p.activity("late").transition("ask", "late", exception="Late")
    [iid] = cli("instance", "start", write(tmp_path, pb), "--db", url).stdout.split()
    # a worker waiting for the timer would run for an hour: the deadline tells the two apart
    # however slow the machine (a subprocess, so that it is killed at the deadline)
    until_idle = subprocess.run(
        [sys.executable, "-m", "wfengine.cli.main", "worker", "--db", url, "--until-idle"],
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        check=False,
    )
    assert until_idle.returncode == 0, until_idle.stderr
    with Engine(db_url=url) as engine:
        assert [j.kind for j in engine.jobs(iid)] == ["timer"]
        assert len(engine.work_items(iid)) == 1


@pytest.mark.usefixtures("fast_retry")
def test_unusable_database_or_apps_module_is_exit_2(tmp_path: Path, url: str) -> None:
    unreachable = cli("worker", "--db", UNREACHABLE, "--until-idle")
    assert unreachable.exit_code == 2 and "127.0.0.1" in unreachable.stderr
    assert cli("worker", "--db", url, "--until-idle", "--apps", "no_such_module").exit_code == 2
    assert cli("worker", "--db", url, "--concurrency", "0").exit_code == 2


HELD_APPS = """
import pathlib, time

def register(r):
    def add(v):
        pathlib.Path({marker!r}).write_text("called")
        deadline = time.monotonic() + {patience!r}
        while not pathlib.Path({release!r}).exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        return {{"v": v + 1}}

    r.register("add", add)
"""


def test_sigterm_finishes_the_running_job_and_gives_the_rest_back(tmp_path: Path, url: str) -> None:
    """The first call is held until the worker logged the signal, so the signal lands while
    the call runs and the rest of the claimed batch is still to come, however slow the
    machine; the call then ends, and the worker must stop after that one job."""
    xpdl = write(tmp_path, automatic())
    ids = cli("instance", "start", xpdl, "--db", url, "--count", "5").stdout.split()
    marker, release = tmp_path / "called", tmp_path / "release"
    apps = tmp_path / "held_apps.py"
    apps.write_text(HELD_APPS.format(marker=str(marker), release=str(release), patience=PATIENCE))
    worker = subprocess.Popen(
        [sys.executable, "-m", "wfengine.cli.main", "worker", "--db", url, "--apps", str(apps)],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert worker.stderr is not None
    lines: list[str] = []
    try:
        deadline = time.monotonic() + PATIENCE
        while not marker.exists():  # the first application call is under way
            assert worker.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        os.kill(worker.pid, signal.SIGTERM)
        for line in worker.stderr:  # until the worker says it got the signal
            lines.append(line)
            if "SIGTERM: finishing the current job(s), then stopping" in line:
                break
        release.write_text("go")
        _, rest = worker.communicate(timeout=PATIENCE)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    stderr = "".join(lines) + rest
    assert worker.returncode == 0, stderr
    assert "SIGTERM: finishing the current job(s), then stopping" in stderr
    assert "worker stopped after 1 job(s)" in stderr
    with Engine(db_url=url) as engine:
        states = [engine.instance(i).state for i in ids]
        assert states.count(ProcessState.COMPLETED) == 1  # the running job was finished
        jobs = engine.jobs()
        assert len(jobs) == 4 and all(j.lock_owner is None for j in jobs)  # the rest given back


def test_asynchronous_applications_are_called_by_invoke_jobs(tmp_path: Path, url: str) -> None:
    apps = tmp_path / "async_apps.py"
    apps.write_text(
        "def register(r):\n    r.register('add', lambda v: {'v': v + 1}, asynchronous=True)\n"
    )
    xpdl = write(tmp_path, automatic())
    ids = cli("instance", "start", xpdl, "--db", url, "--count", "3").stdout.split()
    result = cli("worker", "--db", url, "--until-idle", "--apps", str(apps))
    assert result.exit_code == 0, result.output
    assert "worker stopped after 6 job(s)" in result.stderr  # 3 continue + 3 invoke
    with Engine(db_url=url) as engine:
        for iid in ids:
            assert engine.instance(iid).state is ProcessState.COMPLETED
            assert engine.instance(iid).data["v"] == 2
            kinds = [e.kind for e in engine.audit(iid) if e.kind.startswith("application.")]
            assert kinds == ["application.queued", "application.invoked", "application.returned"]
        assert engine.jobs() == []
