"""``wfengine db upgrade`` warns of each stored version with open instances that this wfengine
cannot compile: naming the process, the version, how many instances run on it and why, as
the operator upgrading chooses the moment (before, nothing said so until a command met one of
its instances, and an ``org load`` then left them as they were). A version nothing runs on is
not named (it harms nothing), and the upgrade still succeeds (exit 0)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import cli
from tests.runtime.conftest import rewrite_stored
from tests.runtime.test_reoffer_uncompiled import _deploy
from wfengine import Engine


def test_a_version_with_open_instances_that_does_not_compile_is_named(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url) as engine:
        _deploy(engine, "desk", reminder=True)
        _deploy(engine, "good", reminder=False)
        engine.start_process("desk")
        engine.start_process("desk")
        engine.start_process("good")
    rewrite_stored(url, "desk", '"wfengine:reminder-every"', '"AssignToPerformerOfActivity"')
    upgraded = cli("db", "upgrade", "--db", url)
    assert upgraded.exit_code == 0, upgraded.stderr
    assert "schema already at revision" in upgraded.stdout
    [warning] = upgraded.stderr.splitlines()
    assert warning.startswith("warning: 2 open instance(s) run on process 'desk' v1, ")
    assert "cannot compile" in warning and "does not compile in this wfengine" in warning
    assert "'good'" not in upgraded.stderr


def test_a_version_nothing_runs_on_is_not_named(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url) as engine:
        _deploy(engine, "desk", reminder=True)
        engine.terminate(engine.start_process("desk"))
    rewrite_stored(url, "desk", '"wfengine:reminder-every"', '"AssignToPerformerOfActivity"')
    upgraded = cli("db", "upgrade", "--db", url)
    assert upgraded.exit_code == 0
    assert upgraded.stderr == ""
