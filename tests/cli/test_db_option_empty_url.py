"""An empty or blank ``--db`` is a usage error naming ``--db`` (exit 2) before the command
does anything, on every command with the shared option and on ``demo crm``. Before, the
store refused it ("the database URL cannot be read: expected ...") naming no option and
showing no usage."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import cli

LEAVE = Path(__file__).parents[2] / "examples" / "leave_request.xpdl"


@pytest.mark.parametrize("url", ["", "   "])
@pytest.mark.parametrize(
    "command",
    [
        ("instances",),
        ("db", "upgrade"),
        ("worklist",),
        ("demo", "crm", "--complaints", "1"),
        ("audit",),
        ("run", "FILE"),
        ("simulate", "FILE"),
    ],
)
def test_an_empty_database_url_is_refused_naming_db(
    command: tuple[str, ...], url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    if command[-1] == "FILE":  # (a definition that exists: the URL is what is refused)
        command = (*command[:-1], str(LEAVE))
    result = cli(*command, "--db", url)
    assert result.exit_code == 2, result.output
    assert "Invalid value for --db: the database URL is empty" in result.stderr
    assert "Usage:" in result.stderr
    assert "cannot be read" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing made


def test_a_blank_environment_url_is_named_as_such_and_audit_verify_takes_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WFENGINE_DB", " ")
    result = cli("instances")
    assert result.exit_code == 2, result.output
    assert "Invalid value for WFENGINE_DB (the environment): the database URL is empty" in (
        result.stderr
    )
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert cli("db", "upgrade", "--db", url).exit_code == 0
    result = cli("audit", "verify", "--db", url)  # (the group's blank URL is not used)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok")
