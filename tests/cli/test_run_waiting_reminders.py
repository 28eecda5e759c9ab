"""``wfengine run --json``: ``waiting`` lists what the instance waits for, not a work item's
reminders. Before, each reminder job of an open item was listed (``kind`` ``"reminder"``,
``activity_id`` null), a kind the README does not name and nothing the instance waits for."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, write
from wfengine.definition.builder import PackageBuilder


def test_an_open_items_reminders_are_not_waited_for(tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").end("done")
    p.activity(
        "review",
        performer="clerk",
        extended={"wfengine:reminder-after": "PT1H", "wfengine:reminder-every": "PT2H"},
    )
    p.route("again", gateway="Exclusive")
    p.sequence("s", "review", "again")
    p.transition("again", "review", condition="true").transition("again", "done", otherwise=True)
    result = cli("run", write(tmp_path, pb), "--json")  # the manual loop stops the run
    assert result.exit_code == 3, result.output
    out = json.loads(result.stdout)
    assert out["stopped"] is not None and "review" in out["stopped"]
    assert [(w["kind"], w["activity_id"]) for w in out["waiting"]] == [("work_item", "review")]
