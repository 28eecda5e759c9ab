"""``wfengine org show`` (text) listed no roles: a role's name, which a participant's Name may
match, and a role nobody holds were shown only by ``--json``. Each role now has a line, with
its name, after the units and before the administrators."""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import cli, sqlite_url

ORG = """
users:
  - {id: alice, roles: [clerk, temp]}
  - {id: root}
units:
  - {id: sales, name: Sales}
roles:
  - {id: auditor, name: Internal auditor}
  - {id: clerk}
admins: [root]
"""


def test_org_show_lists_every_role_with_its_name(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    path = tmp_path / "org.yaml"
    path.write_text(ORG)
    loaded = cli("org", "load", str(path), "--db", url)
    assert loaded.exit_code == 0, loaded.output
    assert loaded.stdout.startswith("loaded 2 users, 1 unit, 3 roles and 1 administrator")
    shown = cli("org", "show", "--db", url)
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.splitlines() == [
        "user alice  roles: clerk, temp",
        "user root",
        "unit sales  (Sales)",
        "role auditor  (Internal auditor)",  # held by nobody
        "role clerk",
        "role temp",  # held, not in the file's roles
        "admin root",
    ]


def test_a_name_with_a_line_break_shows_on_its_own_line(tmp_path: Path) -> None:
    # a name may hold a line break: printed raw, it made a line of its own ("admin mallory")
    url = sqlite_url(tmp_path)
    path = tmp_path / "org.json"
    path.write_text('{"users": [{"id": "bob", "name": "Bob\\nadmin mallory"}]}')
    assert cli("org", "load", str(path), "--db", url).exit_code == 0
    shown = cli("org", "show", "--db", url)
    assert shown.stdout.splitlines() == ["user bob  (Bob\\nadmin mallory)"]
