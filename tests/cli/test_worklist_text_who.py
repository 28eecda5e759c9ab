"""The ``wfengine worklist`` text line says who an item waits for: ``held by U`` once
claimed, and before, how many it is offered to. Before, an unclaimed item's line read
``offered (offered)``: the state twice, nothing about who may take it."""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import cli, sqlite_url, write
from tests.cli.documents import REPO_ROOT
from wfengine.definition.builder import PackageBuilder

EXAMPLE_ORG = REPO_ROOT / "examples" / "organisation.yaml"


def test_the_line_says_who_has_the_item_or_how_many_may_take_it(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    assert cli("org", "load", str(EXAMPLE_ORG), "--db", url).exit_code == 0
    pb = PackageBuilder("pkg")
    pb.process("order").activity("quote", performer="employee", deadlines=[("PT2H", "Late")])
    started = cli("instance", "start", write(tmp_path, pb), "--db", url)
    assert started.exit_code == 0, started.output
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    [line] = cli("worklist", "--db", url, "--user", "alice").stdout.splitlines()
    item = line.split()[0]
    # (alice, bob, carol and dave are the employees)
    assert line.startswith(f"{item}  order/quote  offered (unclaimed, offered to 4 users, due ")
    assert cli("workitem", "claim", item, "--db", url, "--user", "bob").exit_code == 0
    [line] = cli("worklist", "--db", url, "--user", "bob").stdout.splitlines()
    assert line.startswith(f"{item}  order/quote  allocated (held by bob, due ")
