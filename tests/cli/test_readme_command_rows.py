"""README's Command line table has a row for every command (`org show` had none: its text
and --json shape were documented only in --help, a sentence at the end of `org load`'s
row). A row names its commands in its first cell; ``a\\|b`` names both."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from tests.cli.databases import cli, sqlite_url
from tests.cli.documents import REPO_ROOT
from wfengine.cli.main import main

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")

#: commands README documents inside another command's row
_IN_ANOTHER_ROW = {("db", "current"): "wfengine db upgrade"}


def _leaves(group: click.Group, path: tuple[str, ...]) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, command in sorted(group.commands.items()):
        at = (*path, name)
        found += _leaves(command, at) if isinstance(command, click.Group) else [at]
    return found


def _rows() -> dict[tuple[str, ...], str]:
    """Each command a row of the table names, with that row."""
    named: dict[tuple[str, ...], str] = {}
    for row in README.splitlines():
        cell = re.match(r"\| `wfengine ([^`]*)` \|", row)
        if not cell:
            continue
        words = cell.group(1).split(" ")
        groups = words[:1]
        subs = words[1].split("\\|") if len(words) > 1 else []
        subs = [s for s in subs if s and not s.startswith(("-", "[")) and s.islower()]
        named[tuple(groups)] = row
        for sub in subs:
            named[(*groups, sub)] = row
    return named


def test_every_command_has_a_row_in_the_command_line_table() -> None:
    rows = _rows()
    missing = [
        " ".join(c)
        for c in _leaves(main, ())
        if c not in rows and not (c[:1] in rows and len(c) == 1)
    ]
    missing = [m for m in missing if tuple(m.split()) not in _IN_ANOTHER_ROW]
    assert not missing, f"no row in README's Command line table for: {missing}"


def test_commands_documented_in_another_row_are_named_there() -> None:
    rows = _rows()
    for command, host in _IN_ANOTHER_ROW.items():
        [row] = {r for r in rows.values() if r.startswith(f"| `{host} ")}
        assert "wfengine " + " ".join(command) in row


def test_the_org_show_row_gives_the_json_shape_it_prints(tmp_path: Path) -> None:
    row = _rows()[("org", "show")]
    url = sqlite_url(tmp_path)
    loaded = cli("org", "load", str(REPO_ROOT / "examples" / "organisation.yaml"), "--db", url)
    assert loaded.exit_code == 0, loaded.output
    shown = cli("org", "show", "--db", url, "--json")
    doc = json.loads(shown.stdout)
    documented = re.search(r"`--json` prints it in the shape `org load` reads, `(\{.*?\})`", row)
    assert documented, row
    shape = documented.group(1)
    for key, items in doc.items():
        assert f'"{key}"' in shape
        for item in items if key != "admins" else []:
            assert all(f'"{k}"' in shape for k in item), (key, item)
    text = cli("org", "show", "--db", url).stdout.splitlines()
    assert "admin root" in text and "admin root" in row


def test_org_show_json_help_names_the_shape() -> None:
    """Its --json help said "the file's shape", naming neither the file nor the keys."""
    shown = " ".join(cli("org", "show", "--help").stdout.split())
    assert '{"users", "units", "roles", "admins"}' in shown
