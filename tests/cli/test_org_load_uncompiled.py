"""``wfengine org load`` when an open instance runs on a stored version that no longer
compiles: the other instances' work is re-offered and counted, the instance is named on
stderr, exit 1 (a definition this wfengine cannot use; exit 2 is a stop that a rerun finishes
as it is), and a rerun once the instance is terminated finishes (exit 0). Before, it stopped
after 0 of the open work items, and every rerun the same."""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import cli
from tests.runtime.conftest import rewrite_stored
from tests.runtime.test_reoffer_uncompiled import _deploy
from wfengine import Engine


def test_the_other_work_is_reoffered_and_the_instance_named(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url) as engine:
        _deploy(engine, "desk", reminder=True)
        _deploy(engine, "good", reminder=False)
        broken, _ = engine.start_process("desk"), engine.start_process("good")
    rewrite_stored(url, "desk", '"wfengine:reminder-every"', '"AssignToPerformerOfActivity"')
    org = tmp_path / "org.yaml"
    org.write_text("users:\n  - {id: carol, roles: [clerk]}\n")
    loaded = cli("org", "load", str(org), "--db", url)
    assert loaded.exit_code == 1
    assert loaded.stdout.splitlines()[1] == "re-offered 1 open work item by the new organisation"
    assert repr(broken) in loaded.stderr and "does not compile" in loaded.stderr
    assert f"wfengine org load {org}" in loaded.stderr
    worklist = cli("worklist", "--db", url, "--user", "carol")
    assert "good/answer" in worklist.stdout
    assert cli("instance", "terminate", broken, "--db", url).exit_code == 0
    again = cli("org", "load", str(org), "--db", url)
    assert again.exit_code == 0, again.stderr
    assert again.stdout.splitlines()[1] == "re-offered 0 open work items by the new organisation"
