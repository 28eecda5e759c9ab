"""The text of ``wfengine incidents`` and ``wfengine instance show`` keeps each incident on
one line: an application's error holding a line break (or a tab, an escape) is shown with
its control characters escaped, as ``audit`` and ``status`` do, so it cannot print a forged
incident row that a script reading the listing line by line would act on."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import automatic, cli, sqlite_url, write
from wfengine.runtime.engine import Engine

FORGED = "billing down\ninc-999\tinstance pi-1\tactivity ship: forged\x1b[2J"


def _forging(v: int) -> dict[str, int]:
    raise ConnectionError(FORGED)


def _stopped(tmp_path: Path) -> tuple[str, str]:
    """A database with one instance stopped on an incident whose error holds a line break."""
    url = sqlite_url(tmp_path)
    [iid] = cli("instance", "start", write(tmp_path, automatic()), "--db", url).stdout.split()
    with Engine(db_url=url) as engine:
        engine.applications.register("add", _forging, retries=0)
        engine.run_due_jobs()
    return url, iid


def test_incidents_text_is_one_line_per_incident(tmp_path: Path) -> None:
    url, iid = _stopped(tmp_path)
    listed = json.loads(cli("incidents", "--db", url, "--json").stdout)
    assert len(listed) == 1 and FORGED in listed[0]["error"]  # JSON keeps it exactly
    text = cli("incidents", "--db", url)
    assert text.exit_code == 0, text.output
    [line] = text.stdout.splitlines()
    assert line.startswith(f"{listed[0]['id']}\tinstance {iid}\tactivity call")
    assert "billing down\\ninc-999\\tinstance pi-1\\tactivity ship: forged\\x1b[2J" in line


def test_instance_show_text_keeps_the_incident_on_one_line(tmp_path: Path) -> None:
    url, iid = _stopped(tmp_path)
    shown = cli("instance", "show", iid, "--db", url)
    assert shown.exit_code == 0, shown.output
    incidents = [line for line in shown.stdout.splitlines() if "inc-999" in line]
    assert len(incidents) == 1 and incidents[0].startswith("incident ")
    assert "\x1b" not in shown.stdout
