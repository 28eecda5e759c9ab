"""``wfengine worker`` and an application that calls ``sys.exit``: the call fails into an
incident, and the worker carries on with the other instances (it used to stop, exit 0, with
nothing logged, and meet the same job again on every restart)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import automatic, cli, sqlite_url, write
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def test_an_application_calling_sys_exit_becomes_an_incident(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    apps = tmp_path / "exiting_apps.py"
    apps.write_text(
        "import sys\n"
        "def register(r):\n"
        "    r.register('add', lambda v: sys.exit(3) if v == 7 else {'v': v + 1})\n"
    )
    xpdl = write(tmp_path, automatic())
    [bad] = cli("instance", "start", xpdl, "--db", url, "--set", "v=7").stdout.split()
    good = cli("instance", "start", xpdl, "--db", url, "--count", "3").stdout.split()
    result = cli("worker", "--db", url, "--until-idle", "--apps", str(apps))
    assert result.exit_code == 0, result.output
    assert "SystemExit" in result.stderr
    [incident] = json.loads(cli("incidents", "--db", url, "--json").stdout)
    assert incident["instance_id"] == bad and "SystemExit: 3" in json.dumps(incident)
    with Engine(db_url=url) as engine:
        assert [engine.instance(i).state for i in good] == [ProcessState.COMPLETED] * 3
