"""Exit statuses are the same for every command (issue 9, item 6): a file that is missing or
cannot be read (or written) is 2 everywhere, whichever option or argument names it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import automatic, cli, sqlite_url, write
from tests.cli.documents import LEAVE_REQUEST

#: each command that takes a file, with FILE where the file goes
COMMANDS = {
    "validate": ["validate", "FILE"],
    "convert": ["convert", "FILE", "-o", "OUT.xpdl"],
    "show": ["show", "FILE"],
    "render": ["render", "FILE", "-o", "OUT.dot"],
    "run": ["run", "FILE"],
    "instance start": ["instance", "start", "FILE", "--db", "DB"],
    "run --answers": ["run", str(LEAVE_REQUEST), "--answers", "FILE"],
    "run --apps": ["run", str(LEAVE_REQUEST), "--apps", "FILE.py"],
    "validate --apps": ["validate", str(LEAVE_REQUEST), "--apps", "FILE.py"],
    "worker --apps": ["worker", "--db", "DB", "--until-idle", "--apps", "FILE.py"],
}


def _args(template: list[str], file: Path, tmp_path: Path) -> list[str]:
    replace = {
        "FILE": str(file),
        "FILE.py": str(file) + ".py",
        "OUT.xpdl": str(tmp_path / "out.xpdl"),
        "OUT.dot": str(tmp_path / "out.dot"),
        "DB": sqlite_url(tmp_path),
    }
    return [replace.get(a, a) for a in template]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_missing_file_is_exit_2(command: str, tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    result = cli(*_args(COMMANDS[command], missing, tmp_path))
    assert result.exit_code == 2, result.output
    assert "missing" in result.stderr


@pytest.mark.parametrize("command", [c for c in COMMANDS if not c.endswith("--apps")])
def test_a_file_that_cannot_be_read_is_exit_2(command: str, tmp_path: Path) -> None:
    unreadable = tmp_path / "a-directory"
    unreadable.mkdir()
    result = cli(*_args(COMMANDS[command], unreadable, tmp_path))
    assert result.exit_code == 2, result.output
    assert "a-directory" in result.stderr


@pytest.mark.parametrize("command", [["convert", "-o"], ["render", "-o"], ["audit", "-o"]])
def test_an_output_that_cannot_be_written_is_exit_2(command: list[str], tmp_path: Path) -> None:
    verb, option = command
    target = tmp_path / "no-such-directory" / "out.dot"
    source = str(LEAVE_REQUEST)
    if verb == "audit":
        source = "--db=" + sqlite_url(tmp_path)
        assert cli("run", str(LEAVE_REQUEST), "--db", source[5:]).exit_code in (0, 3)
    result = cli(verb, source, option, str(target))
    assert result.exit_code == 2, result.output
    assert "no-such-directory" in result.stderr


@pytest.mark.parametrize(
    "url",
    ["sqlite:///TMP/no-such-directory/x.db", "bogus://x"],
    ids=["missing-directory", "unknown-scheme"],
)
def test_a_database_that_cannot_be_used_is_exit_2_for_demo_and_simulate(
    url: str, tmp_path: Path
) -> None:
    url = url.replace("TMP", str(tmp_path))
    scenario = tmp_path / "s.yaml"
    scenario.write_text("arrivals: {poisson: 10/h}\n")
    simulate = ["simulate", str(LEAVE_REQUEST), "--scenario", str(scenario), "--instances", "2"]
    assert cli(*simulate).exit_code == 0  # the scenario is fine: only the database is not
    for args in (["demo", "crm", "--complaints", "1", "--db", url], [*simulate, "--db", url]):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
        assert result.stderr.startswith(("Error: cannot make", "Error: unsupported database"))


def test_a_definition_that_does_not_load_is_exit_1_for_run_and_instance_start(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.xpdl"
    broken.write_text("<Package")
    assert cli("run", str(broken)).exit_code == 1
    assert cli("instance", "start", str(broken), "--db", sqlite_url(tmp_path)).exit_code == 1


def test_an_unknown_process_is_exit_2_for_run_and_instance_start(tmp_path: Path) -> None:
    xpdl = write(tmp_path, automatic())
    assert cli("run", xpdl, "--process", "nope").exit_code == 2
    url = sqlite_url(tmp_path)
    assert cli("instance", "start", xpdl, "--db", url, "--process", "nope").exit_code == 2
