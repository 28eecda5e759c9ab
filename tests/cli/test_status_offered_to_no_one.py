"""``wfengine status``: open work offered to no one (its performer has no members) reads
``(offered to no one)``; it read ``(offered to )``, as if the line were cut off. ``--json``
keeps its shape: ``offered_to`` an empty list."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder


def test_work_offered_to_no_one_says_so(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.process("p").activity("quote", performer="clerk")
    xpdl = write(tmp_path, pb)
    org = tmp_path / "org.yaml"
    org.write_text("users:\n  - {id: root}\nadmins: [root]\n")  # nobody is a clerk
    assert cli("org", "load", str(org), "--db", url).exit_code == 0
    iid = cli("instance", "start", xpdl, "--db", url).stdout.strip()
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0

    shown = cli("status", iid, "--db", url)
    assert shown.exit_code == 0, shown.output
    (line,) = [x for x in shown.stdout.splitlines() if "waiting:" in x]
    assert line.strip() == "waiting: wi-1 quote (offered to no one)"
    (work,) = json.loads(cli("status", iid, "--db", url, "--json").stdout)["open_work"]
    assert (work["id"], work["offered_to"], work["holder"]) == ("wi-1", [], None)
