"""``wfengine worker --db URL`` keeps the URL from the programs its applications run.

The supervisor hands the URL to its worker process in ``$WFENGINE_DB`` (so that ``ps`` does
not show a PostgreSQL password on a command line). The worker process used to keep it in its
environment, and the subprocess agent passes that environment on: every program a job ran saw
the database URL, password included. The worker process now removes the variable once read.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.cli.databases import automatic, cli, sqlite_url, write

PATIENCE = 120.0

#: ``add`` runs a program that writes what it finds in $WFENGINE_DB and answers v + 1
APPS = """
import sys
from wfengine import subprocess_agent

PROGRAM = (
    "import json, os, sys; v = json.load(sys.stdin)['v']; "
    "open({seen!r}, 'w').write(os.environ.get('WFENGINE_DB', '<not set>')); "
    "print(json.dumps({{'v': v + 1}}))"
)


def register(registry):
    registry.register("add", subprocess_agent([sys.executable, "-c", PROGRAM]))
"""


def test_programs_run_by_a_worker_do_not_see_the_database_url(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    seen = tmp_path / "seen"
    apps = tmp_path / "peek_apps.py"
    apps.write_text(APPS.format(seen=str(seen)))
    started = cli("instance", "start", write(tmp_path, automatic()), "--db", url)
    assert started.exit_code == 0, started.output

    env = {k: v for k, v in os.environ.items() if k != "WFENGINE_DB"}
    done = subprocess.run(
        [
            *(sys.executable, "-m", "wfengine.cli.main", "worker", "--db", url),
            *("--apps", str(apps), "--until-idle"),
        ],
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert seen.read_text() == "<not set>"
