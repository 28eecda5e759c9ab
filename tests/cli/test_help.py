"""Every command explains itself with an example."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from wfengine import __version__
from wfengine.cli.main import main


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["validate"],
        ["convert"],
        ["show"],
        ["render"],
        ["instances"],
        ["instance"],
        ["instance", "start"],
        ["worker"],
        ["incidents"],
        ["incident"],
        ["incident", "skip"],
    ],
)
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
