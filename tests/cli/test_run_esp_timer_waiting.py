"""``wfengine run --json``: an event sub-process's timer is listed under ``waiting`` with the
block activity that runs the event sub-process (not a null activity_id)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, write
from wfengine.definition.builder import PackageBuilder


def test_an_event_subprocess_timer_names_its_block(tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").intermediate("w", message="m").end("done")
    p.sequence("s", "w", "done")
    a = p.activity_set("t", triggered_by_event=True)
    a.start("ts", timer="PT1H", interrupting=False).activity("late").transition("ts", "late")
    p.block("bt", activity_set="t")
    script = tmp_path / "empty.json"
    script.write_text("[]")
    result = cli("run", write(tmp_path, pb), "--script", str(script), "--json")
    waiting = json.loads(result.stdout)["waiting"]
    assert [(w["kind"], w["activity_id"]) for w in waiting] == [("message", "w"), ("timer", "bt")]
