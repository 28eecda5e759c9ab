"""``signal send`` checks its data against a process whose only catch of the signal is in an
activity set whose every activity Id another set repeats (TIBCO files repeat Ids across
sets): that process was not counted as taking the signal (its set's graph was looked up by
Ids the other set holds too), so nothing checked the data."""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import cli, sqlite_url
from tests.runtime.repeated_scopes import named_alike
from wfengine import PackageBuilder
from wfengine.definition.io import dump_xpdl


def test_signal_send_checks_data_against_a_set_of_repeated_ids(tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="1")
    p.activity_set("SetA").intermediate("WaitA", signal="a")
    p.activity_set("SetB").intermediate("WaitB", signal="b")
    p.route("split", gateway="Parallel")
    p.block("BlockA", activity_set="SetA").block("BlockB", activity_set="SetB")
    p.sequence("split", "BlockA").sequence("split", "BlockB")
    path = tmp_path / "p.xpdl"
    path.write_bytes(dump_xpdl(named_alike(pb, "Wait")))
    db = sqlite_url(tmp_path)
    started = cli("instance", "start", str(path), "--db", db)
    assert started.exit_code == 0, started.output
    assert cli("worker", "--db", db, "--until-idle").exit_code == 0  # the catches wait
    typo = cli("signal", "send", "b", "--db", db, "--set", "undeclared_typo=5")
    assert typo.exit_code == 2 and "'undeclared_typo' is not declared by process" in typo.stderr
    wrong = cli("signal", "send", "b", "--db", db, "--set", "n=abc")
    assert wrong.exit_code == 2 and "expected INTEGER" in wrong.stderr
