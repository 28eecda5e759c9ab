"""``wfengine worker`` logs each incident a job opens, and counts them as it stops.

An application failing into an incident left the worker's log silent: the job "ran", and an
operator watching the log learnt of the incident only from ``wfengine incidents``. Now the
worker logs a WARNING naming the incident, its instance and activity and its (redacted)
message, and its last line says how many incidents its jobs opened.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import automatic, cli, sqlite_url, write
from wfengine.runtime.engine import Engine

FAILING = """
def register(r):
    def add(v):
        raise ValueError("the service refused v=" + str(v))
    r.register("add", add)
"""


def test_an_incident_a_job_opens_is_logged_and_counted(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    apps = tmp_path / "failing.py"
    apps.write_text(FAILING)
    xpdl = write(tmp_path, automatic())
    iid = cli("instance", "start", xpdl, "--db", url).stdout.strip()
    result = cli("worker", "--db", url, "--until-idle", "--apps", str(apps))
    assert result.exit_code == 0, result.output
    with Engine(db_url=url) as engine:
        (incident,) = engine.store.open_incidents(iid)
    logged = f"opened incident {incident.id} on instance {iid}, activity call: {incident.message}"
    (line,) = [line for line in result.stderr.splitlines() if logged in line]
    assert " WARNING wfengine.worker " in line
    assert "the service refused v=1" in incident.message
    assert "; 1 incident(s) opened" in result.stderr


def test_a_worker_whose_jobs_open_none_says_0(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    apps = tmp_path / "apps.py"
    apps.write_text("def register(r):\n    r.register('add', lambda v: {'v': v + 1})\n")
    xpdl = write(tmp_path, automatic())
    cli("instance", "start", xpdl, "--db", url)
    result = cli("worker", "--db", url, "--until-idle", "--apps", str(apps))
    assert result.exit_code == 0, result.output
    assert "WARNING" not in result.stderr
    assert "; 0 incident(s) opened" in result.stderr
