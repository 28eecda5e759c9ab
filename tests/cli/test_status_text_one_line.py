"""``wfengine status`` text prints each comment, field value and id on one line (line breaks
escaped, as ``wfengine audit`` does): a comment or a customer's field value holding a line
break could print rows that looked like the status's own (a fake ``waiting ... OVERDUE`` row,
a fake milestone)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from tests.cli.databases import cli, sqlite_url
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, notes_for

FORGED_ROW = "  waiting: wi-9 approve (root) due 2030-01-01T00:00+00:00 OVERDUE"
FORGED_MILESTONE = "  2030-01-02T09:00+00:00  Answer sent"


def _database(tmp_path: Path) -> tuple[str, str]:
    url = sqlite_url(tmp_path)
    pb = PackageBuilder("pkg")
    p = pb.process("claim")
    p.extended_attribute("wfengine:public-name", "Claim")
    p.data_field("remark", "STRING", extended={"wfengine:public": "true"})
    p.activity("enter", performer="clerk", extended={"wfengine:milestone": "Received"})
    p.activity("answer", performer="clerk", extended={"wfengine:milestone": "Answer sent"})
    p.transition("enter", "answer")
    clock = VirtualClock(datetime(2030, 1, 1, tzinfo=UTC))
    with Engine(clock=clock, db_url=url, directory=Organisation.from_data(ORG)) as e:
        e.deploy(pb.build())
        iid = e.start_process("claim", {"remark": "see attached\n" + FORGED_MILESTONE})
        (item,) = e.work_items(iid)
        notes_for(e).add_comment("alice", iid, work_item_id=item.id, text="ok\n" + FORGED_ROW)
        e.complete_work_item(item.id, user="alice")
    return url, iid


def test_no_text_forges_a_row(tmp_path: Path) -> None:
    url, iid = _database(tmp_path)
    full = cli("status", iid, "--db", url)
    assert full.exit_code == 0, full.output
    assert FORGED_ROW not in full.stdout.splitlines()
    (comment,) = [line for line in full.stdout.splitlines() if line.startswith("  comment ")]
    assert comment.endswith(": ok\\n" + FORGED_ROW)
    brief = cli("status", iid, "--brief", "--db", url)
    assert brief.exit_code == 0, brief.output
    assert brief.stdout.splitlines() == [
        "Claim " + iid + ": in progress",
        "  2030-01-01T00:00+00:00  Received",
        "  remark: see attached\\n" + FORGED_MILESTONE,
    ]
    as_json = cli("status", iid, "--brief", "--json", "--db", url)
    assert json.loads(as_json.stdout)["fields"]["remark"].count("\n") == 1  # JSON: as it is
