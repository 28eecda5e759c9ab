"""Every command explains itself with an example."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from tests.cli.documents import REPO_ROOT
from wfengine import __version__
from wfengine.cli.main import main

#: every command and sub-command with its own help
COMMANDS = [
    [],
    ["validate"],
    ["convert"],
    ["show"],
    ["render"],
    ["run"],
    ["instances"],
    ["instance"],
    ["instance", "start"],
    ["worker"],
    ["incidents"],
    ["incident"],
    ["incident", "skip"],
]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_says_what_it_does_with_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "wfengine " + (command[0] if command else "") in result.stdout.split("Examples:")[1]


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.stdout


def test_unknown_command_is_a_usage_error() -> None:
    assert CliRunner().invoke(main, ["frobnicate"]).exit_code == 2


def _input_files(examples: str) -> list[str]:
    """XPDL files an example reads: every ``*.xpdl`` word but the one after ``-o``."""
    words = examples.split()
    return [
        w
        for i, w in enumerate(words)
        if re.fullmatch(r"[\w./-]+\.xpdl", w) and (i == 0 or words[i - 1] not in ("-o", "--output"))
    ]


@pytest.mark.parametrize(
    "command",
    COMMANDS,
)
def test_help_examples_read_files_that_exist_in_examples(command: list[str]) -> None:
    """Copying an example from --help works from the repository root (issue 9, item 6)."""
    result = CliRunner().invoke(main, [*command, "--help"])
    named = _input_files(result.stdout.split("Examples:")[1])
    for name in named:
        assert name.startswith("examples/") and (REPO_ROOT / name).is_file(), name
