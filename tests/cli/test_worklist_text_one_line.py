"""``wfengine worklist`` text keeps one line per work item: a process or activity Id holding a
line break (written ``&#10;`` in XPDL; validate only warns ``id-syntax``, and it deploys and
runs) is shown escaped, as ``status`` and ``instances`` show it, not as a forged item row that
a person or a script reading the list would act on."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, sqlite_url, write
from tests.cli.documents import REPO_ROOT
from wfengine.definition.builder import PackageBuilder

EXAMPLE_ORG = REPO_ROOT / "examples" / "organisation.yaml"
PROCESS = "order\nwi-999  payroll/pay_bonus"
ACTIVITY = "quote\u2028wi-998  payroll/approve"


def test_worklist_text_is_one_line_per_item(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    assert cli("org", "load", str(EXAMPLE_ORG), "--db", url).exit_code == 0
    pb = PackageBuilder("pkg")
    pb.process(PROCESS).activity(ACTIVITY, performer="employee")
    started = cli("instance", "start", write(tmp_path, pb), "--db", url)
    assert started.exit_code == 0, started.output
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0  # offers the item
    [row] = json.loads(cli("worklist", "--db", url, "--user", "alice", "--json").stdout)
    assert (row["process_id"], row["activity_id"]) == (PROCESS, ACTIVITY)  # JSON: exactly
    text = cli("worklist", "--db", url, "--user", "alice")
    assert text.exit_code == 0, text.output
    assert text.stdout.splitlines() == [
        f"{row['id']}  order\\nwi-999  payroll/pay_bonus/quote\\u2028wi-998  payroll/approve"
        "  offered (unclaimed, offered to 4 users)"
    ]
