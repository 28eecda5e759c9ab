"""``wfengine instance cancel ID --activity ACT`` with an ACT the instance's process does not
have: the operator mistyped it, and the message must say so (not that the activity "is not
open", which sends them looking for why it closed). Exit 1 as before."""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder


def test_an_activity_the_process_lacks_is_named_as_such(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    pb = PackageBuilder("pkg")
    pb.process("main").activity("a", performer="clerk")
    started = cli("instance", "start", write(tmp_path, pb, "one.xpdl"), "--db", url)
    [iid] = started.stdout.splitlines()
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    unknown = cli("instance", "cancel", iid, "--activity", "nope", "--db", url)
    assert unknown.exit_code == 1
    assert "no activity 'nope'" in unknown.stderr
    assert "'main'" in unknown.stderr and "not open" not in unknown.stderr
    # an activity the process has, open no longer: still "not open"
    assert cli("instance", "cancel", iid, "--activity", "a", "--db", url).exit_code == 0
    closed = cli("instance", "cancel", iid, "--activity", "a", "--db", url)
    assert closed.exit_code == 1 and "not open" in closed.stderr
