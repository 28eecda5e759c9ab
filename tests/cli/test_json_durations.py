"""A duration the data holds (a script's ``due - now()``, a host's ``timedelta``) is written
by every ``--json`` output as the ISO 8601 duration the audit trail and the HTTP agents write
(``PT1H30M``): ``instance show --json`` wrote Python's ``str`` (``1:30:00``), which no tool
reads as a duration and which the trail of the same value contradicted."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from tests.cli.databases import cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder
from wfengine.json_text import dumps
from wfengine.runtime.engine import Engine


def test_json_text_writes_a_duration_as_iso_8601() -> None:
    assert json.loads(dumps({"w": timedelta(hours=1, minutes=30)})) == {"w": "PT1H30M"}
    assert json.loads(dumps([timedelta(seconds=-0.5), timedelta(0)])) == ["-PT0.5S", "PT0S"]


def test_instance_show_json_writes_the_duration_as_the_trail_does(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    pb = PackageBuilder("p")
    p = pb.process("proc")
    p.participant("clerk")
    p.activity("wait", performer="clerk")
    [iid] = cli("instance", "start", write(tmp_path, pb), "--db", url).stdout.split()
    with Engine(db_url=url) as engine:
        engine.set_data(iid, {"wait": timedelta(hours=1, minutes=30)})
        [assigned] = [e for e in engine.audit_events(instance_id=iid) if e.kind == "instance.data"]

    shown = cli("instance", "show", iid, "--db", url, "--json")

    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["data"]["wait"] == "PT1H30M"
    assert "PT1H30M" in json.dumps(assigned.detail)
