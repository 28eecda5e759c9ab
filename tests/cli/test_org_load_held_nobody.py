"""``wfengine org load`` says when work someone keeps would be offered to no one: alice holds
the quote and stays, but the new organisation makes no one a clerk. She keeps it, the second
line counts it, and her release opens the offer incident.

Before: the load said "re-offered 0 open work items" and nothing more, and alice's release
put the work on offer to no one: in nobody's worklist, with no incident.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder


def test_held_work_whose_role_was_emptied_is_counted_and_its_release_is_an_incident(
    tmp_path: Path,
) -> None:
    url = sqlite_url(tmp_path)
    pb = PackageBuilder("rel")
    pb.participant("clerk")
    pb.process("p").activity("quote", performer="clerk")
    xpdl = write(tmp_path, pb)
    before = tmp_path / "before.yaml"
    before.write_text("users:\n  - {id: alice, roles: [clerk]}\n  - {id: root}\nadmins: [root]\n")
    after = tmp_path / "after.yaml"
    after.write_text("users:\n  - {id: alice}\n  - {id: root}\nadmins: [root]\n")
    assert cli("org", "load", str(before), "--db", url).exit_code == 0
    iid = cli("instance", "start", xpdl, "--db", url).stdout.strip()
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    assert cli("workitem", "claim", "wi-1", "--db", url, "--user", "alice").exit_code == 0

    loaded = cli("org", "load", str(after), "--db", url)
    assert loaded.exit_code == 0, loaded.output
    assert loaded.stdout.splitlines()[1] == (
        "re-offered 0 open work items by the new organisation (1 held, kept by its holder, "
        "whose performers reach no one now: a release opens an incident)"
    )
    assert cli("workitem", "release", "wi-1", "--db", url, "--user", "alice").exit_code == 0
    (line,) = cli("incidents", "--db", url).stdout.splitlines()
    assert f"instance {iid}" in line and "'clerk' reach no one" in line, line
