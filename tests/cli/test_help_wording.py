"""Small things the help texts said wrongly (QA of the help texts): each says what the
command does. Why each: a user reads the help, not the source."""

from __future__ import annotations

import re
from typing import Any

import click
import pytest
from click.testing import CliRunner

from tests.cli.command_paths import COMMANDS
from tests.cli.documents import REPO_ROOT
from wfengine.cli.main import main


def _command(path: list[str]) -> Any:
    found: Any = main
    for name in path:
        found = found.commands[name]
    return found


def _option_help(path: list[str], option: str) -> str | None:
    """The help line of ``option`` as ``--help`` prints it (extras such as [required]
    included), or None when the command has no such option."""
    command = _command(path)
    ctx = click.Context(command, info_name=path[-1] if path else "wfengine")
    for param in command.params:
        if isinstance(param, click.Option) and option in param.opts:
            record = param.get_help_record(ctx)
            return " ".join(record[1].split()) if record else ""
    return None


def _help(path: list[str]) -> str:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_deploy_example_goes_on_on_its_next_line() -> None:
    """A single backslash before the line break in a plain string joined the two lines with
    a run of spaces; every other example writes ``\\\\`` so the help shows the shell's ``\\``."""
    text = _help(["deploy"])
    assert re.search(r"examples/order_fulfilment\.xpdl \\\n\s+--db sqlite:///wf\.db --json", text)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_help_points_to_a_contract_the_user_cannot_find(command: list[str]) -> None:
    assert "see the contract" not in _help(command)


def _readme_shape(command: str, start: str) -> str:
    """The ``--json`` shape README's Command line table gives for ``command``."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    [row] = [line for line in readme.splitlines() if line.startswith(f"| `wfengine {command} ")]
    at = row.index(start)
    return row[at : row.index("`", at)]


@pytest.mark.parametrize(
    ("command", "start"),
    [(["worklist"], '[{"id", "instance_id"'), (["instance", "show"], '{"id", "process_id"')],
    ids=["worklist", "instance show"],
)
def test_json_help_lists_the_keys_readme_documents(command: list[str], start: str) -> None:
    shape = _readme_shape(" ".join(command), start)
    listed = _option_help(command, "--json") or ""
    # (worklist's README shape is the list of one row: the help says "A list of {...}")
    assert shape.strip("[]") in listed, (shape, listed)


def test_audit_db_says_it_is_required_as_every_other_required_db_does() -> None:
    """`wfengine audit` without --db is "Missing option '--db'" (exit 2), as every command
    whose --db is required: its help says [required] as theirs does (it is not declared
    required only because audit verify has a --db of its own)."""
    assert _option_help(["audit"], "--db") == _option_help(["instances"], "--db")
    assert "[required]" in (_option_help(["audit"], "--db") or "")


def test_audit_still_reads_the_database_from_the_environment(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    made = CliRunner().invoke(main, ["db", "upgrade", "--db", url])
    assert made.exit_code == 0, made.output
    listed = CliRunner().invoke(main, ["audit"], env={"WFENGINE_DB": url})
    assert listed.exit_code == 0, listed.output
    missing = CliRunner().invoke(main, ["audit"], env={"WFENGINE_DB": None})
    assert missing.exit_code == 2 and "Missing option '--db'" in missing.output


@pytest.mark.parametrize(
    "command", [c for c in COMMANDS if c[:1] == ["workitem"] and len(c) == 2], ids=" ".join
)
def test_the_user_of_a_workitem_command_is_who_acts(command: list[str]) -> None:
    """ "Who acts (or whose list)": a work item command acts; only worklist has a list."""
    assert _option_help(command, "--user") == "Who acts. [required]"


def test_the_user_of_worklist_is_whose_list() -> None:
    assert (_option_help(["worklist"], "--user") or "").startswith("Whose list")
