"""``wfengine worker`` stops a job that runs longer than ``--job-timeout`` "with its process":
the program a subprocess agent runs for the job is stopped too. It used to be left running
under init and to do its side effect later, while the job was already an incident that an
operator could retry (a second run).

The worker is a real process; nothing assumes how fast the machine is: each wait has a
deadline (:data:`PATIENCE`) far beyond what a busy machine needs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.databases import automatic, cli, sqlite_url, write
from wfengine.runtime.engine import Engine

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads process states from /proc"
)

PATIENCE = 120.0

#: ``add`` runs a program (a subprocess agent) that writes its pid, then would take ten
#: minutes before writing its side effect and answering
APPS = """
import sys
from wfengine import subprocess_agent

PROGRAM = (
    "import os, time; open({pid!r}, 'w').write(str(os.getpid())); time.sleep(600); "
    "open({effect!r}, 'a').write('done')"
)


def register(registry):
    registry.register("add", subprocess_agent([sys.executable, "-c", PROGRAM], timeout=900))
"""


def _alive(pid: int) -> bool:
    """Is ``pid`` a live process (not gone, not a zombie nobody reaped yet)?"""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.fixture
def pid_file(tmp_path: Path) -> Iterator[Path]:
    """Where the program writes its pid; one still alive at the end is killed (the test
    failed), so none sleeps on after the tests."""
    path = tmp_path / "program.pid"
    yield path
    if path.exists() and path.read_text() and _alive(int(path.read_text())):
        os.kill(int(path.read_text()), signal.SIGKILL)


def test_a_job_stopped_for_running_too_long_stops_the_program_it_runs(
    tmp_path: Path, pid_file: Path
) -> None:
    url = sqlite_url(tmp_path)
    effect = tmp_path / "effect"
    apps = tmp_path / "program_apps.py"
    apps.write_text(APPS.format(pid=str(pid_file), effect=str(effect)))
    started = cli("instance", "start", write(tmp_path, automatic()), "--db", url)
    assert started.exit_code == 0, started.output
    iid = started.stdout.strip()

    done = subprocess.run(
        [
            *(sys.executable, "-m", "wfengine.cli.main", "worker", "--db", url),
            *("--apps", str(apps), "--until-idle", "--job-timeout", "4"),
        ],
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert pid_file.exists(), "the program never ran"
    program = int(pid_file.read_text())
    deadline = time.monotonic() + PATIENCE
    while _alive(program):
        assert time.monotonic() < deadline, f"program {program} outlived its stopped job"
        time.sleep(0.02)
    assert not effect.exists()
    with Engine(db_url=url) as engine:
        [incident] = engine.incidents(iid)
        assert "ran longer than 4 s (--job-timeout)" in incident.message
