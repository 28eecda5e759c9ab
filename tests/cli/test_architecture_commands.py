"""docs/architecture.md's layer table names every command of the CLI: a command added to
``wfengine`` without a word there leaves the map of the code untrue."""

from __future__ import annotations

import re

from tests.cli.documents import REPO_ROOT
from wfengine.cli.main import main


def _documented_commands() -> set[str]:
    text = (REPO_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| `wfengine.cli` |"))
    return set(re.findall(r"`([a-z]+)`", row.split("|")[3]))


def test_architecture_lists_every_cli_command() -> None:
    assert set(main.commands) == _documented_commands()
