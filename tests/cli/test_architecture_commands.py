"""docs/architecture.md's layer table names every command of the CLI: a command added to
``wfengine`` without a word there leaves the map of the code untrue. So do its module notes'
lists of a group's subcommands (``instance start|show|...``): they once left out ``instance
set`` and ``instance cancel``."""

from __future__ import annotations

import re

import click

from tests.cli.documents import REPO_ROOT
from wfengine.cli.main import main


def _documented_commands() -> set[str]:
    text = (REPO_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| `wfengine.cli` |"))
    return set(re.findall(r"`([a-z]+)`", row.split("|")[3]))


def test_architecture_lists_every_cli_command() -> None:
    assert set(main.commands) == _documented_commands()


def test_architecture_lists_every_subcommand_of_a_group_it_lists() -> None:
    text = (REPO_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    lists = re.findall(r"`([a-z]+) ([a-z-]+(?:\|[a-z-]+)+)`", text)
    assert {group for group, _ in lists} >= {"instance", "incident", "db", "org"}
    for group, names in lists:
        command = main.commands[group]
        assert isinstance(command, click.Group), group
        assert set(names.split("|")) == set(command.commands), group
