"""Every command explains itself with an example."""

from __future__ import annotations

import re
from typing import Any

import click
import pytest
from click.testing import CliRunner

from tests.cli.command_paths import COMMANDS
from tests.cli.documents import REPO_ROOT
from wfengine import __version__
from wfengine.cli.main import main

#: those whose modules have no example yet
_NO_EXAMPLE_YET: set[tuple[str, ...]] = set()


def _mark(command: list[str]) -> Any:
    if tuple(command) not in _NO_EXAMPLE_YET:
        return command
    return pytest.param(command, marks=pytest.mark.xfail(strict=True, reason="no example yet"))


@pytest.mark.parametrize("command", [_mark(c) for c in COMMANDS], ids=" ".join)
def test_help_says_what_it_does_with_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    examples = _examples(result.stdout)
    assert "wfengine " + (command[0] if command else "") in examples


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.stdout


def test_unknown_command_is_a_usage_error() -> None:
    assert CliRunner().invoke(main, ["frobnicate"]).exit_code == 2


def _examples(help_text: str) -> str:
    """The examples section of a command's help (``Example:`` or ``Examples:``)."""
    found = re.split(r"^\s*Examples?:$", help_text, maxsplit=1, flags=re.MULTILINE)
    assert len(found) == 2, f"no Examples: section in\n{help_text}"
    return found[1]


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
    [c for c in COMMANDS if tuple(c) not in _NO_EXAMPLE_YET],
    ids=" ".join,
)
def test_help_examples_read_files_that_exist_in_examples(command: list[str]) -> None:
    """Copying an example from --help works from the repository root (issue 9, item 6)."""
    result = CliRunner().invoke(main, [*command, "--help"])
    named = _input_files(_examples(result.stdout))
    for name in named:
        assert name.startswith("examples/") and (REPO_ROOT / name).is_file(), name


def _set_help(command: list[str]) -> str | None:
    """The help line of ``command``'s ``--set`` option, or None when it has none."""
    found: Any = main
    for name in command:
        found = found.commands[name]
    for param in found.params:
        if isinstance(param, click.Option) and "--set" in param.opts:
            return str(param.help)
    return None


@pytest.mark.parametrize(
    "command",
    [c for c in COMMANDS if _set_help(c) is not None],
    ids=" ".join,
)
def test_every_set_option_says_value_is_converted_to_the_declared_type(
    command: list[str],
) -> None:
    """Every command reads --set VALUE by the declared type (README: "VALUE is converted to
    the declared type"), so every --set help says so. Why: `workitem complete --help` said
    VALUE "is parsed as JSON when it parses", while the command keeps `order_id=01234` the
    text its STRING field declares."""
    text = _set_help(command) or ""
    assert "converted to its type" in text, text
    assert "parsed as JSON when it parses" not in text, text


def test_workitem_complete_is_among_the_commands_with_set() -> None:
    assert _set_help(["workitem", "complete"]) is not None
