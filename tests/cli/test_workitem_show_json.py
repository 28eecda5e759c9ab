"""``wfengine workitem show ID --json``: taken, as ``instance show`` and ``status`` take it.

``workitem show`` always prints one JSON object, but refused ``--json`` as an unknown option
(exit 2): a script that writes ``--json`` for every ``show`` it calls failed on this one.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, sqlite_url, write
from tests.cli.documents import REPO_ROOT
from wfengine.definition.builder import PackageBuilder


def test_workitem_show_takes_json_and_prints_the_same_object(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    org = REPO_ROOT / "examples" / "organisation.yaml"
    assert cli("org", "load", str(org), "--db", url).exit_code == 0
    pb = PackageBuilder("pkg")
    p = pb.process("order")
    p.activity("quote", performer="employee")
    assert cli("instance", "start", write(tmp_path, pb), "--db", url).exit_code == 0
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    [row] = json.loads(cli("worklist", "--db", url, "--user", "alice", "--json").stdout)
    args = ("workitem", "show", row["id"], "--db", url, "--user", "alice")
    plain = cli(*args)
    with_json = cli(*args, "--json")
    assert with_json.exit_code == 0, with_json.output
    assert json.loads(with_json.stdout) == json.loads(plain.stdout)
    assert json.loads(with_json.stdout)["activity_id"] == "quote"
