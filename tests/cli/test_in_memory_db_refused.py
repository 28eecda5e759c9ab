"""Every command taking ``--db`` refuses an in-memory database (exit 2, naming it), before it
does anything. Before, the commands that bring work in reported success and lost it:
``instance start --db sqlite://`` printed ``pi-1`` (exit 0), ``org load`` "loaded",
``worker --db memory:// --until-idle`` exited 0, ``run --db sqlite://`` persisted nothing;
and the reading ones (``instances --db sqlite://``) advised ``wfengine db upgrade --db
sqlite://``, which refuses that URL. Each command opens its own database, new and empty, gone
when it ends: nothing stored there is kept, and there is nothing stored to read."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url
from wfengine.errors import SchemaOutdatedError
from wfengine.runtime.engine import Engine

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LEAVE = str(EXAMPLES / "leave_request.xpdl")
ORG = str(EXAMPLES / "organisation.yaml")

IN_MEMORY = [
    "memory://",
    "sqlite://",
    "sqlite:///:memory:",
    "sqlite:///file:wf?mode=memory&uri=true",
    "sqlite:///file::memory:?cache=shared&uri=true",
]

#: a command line per kind of command, "DB" standing for the URL
COMMANDS = [
    ["instance", "start", LEAVE, "--db", "DB", "--set", "employee_name=Ada", "--set", "days=3"],
    ["org", "load", ORG, "--db", "DB"],
    ["org", "show", "--db", "DB"],
    ["worker", "--db", "DB", "--until-idle"],
    ["run", LEAVE, "--db", "DB", "--set", "employee_name=Ada", "--set", "days=3"],
    ["message", "send", "reply", "--db", "DB", "--instance", "pi-1"],
    ["signal", "send", "alarm", "--db", "DB"],
    ["incident", "retry", "inc-1", "--db", "DB"],
    ["workitem", "claim", "wi-1", "--db", "DB", "--user", "ann"],
    ["instances", "--db", "DB"],
    ["instance", "show", "pi-1", "--db", "DB"],
    ["incidents", "--db", "DB"],
    ["worklist", "--db", "DB", "--user", "ann"],
    ["status", "pi-1", "--db", "DB"],
    ["stats", "--db", "DB"],
    ["audit", "--db", "DB"],
]


@pytest.mark.parametrize("url", IN_MEMORY)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_an_in_memory_database_is_refused(command: list[str], url: str) -> None:
    result = cli(*[url if arg == "DB" else arg for arg in command])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert f"{url} is an in-memory database" in result.stderr
    assert "name a SQLite file (sqlite:///wf.db) or a server" in result.stderr
    assert "db upgrade" not in result.stderr


def test_it_is_refused_from_the_environment_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WFENGINE_DB", "sqlite://")
    result = cli("instance", "start", LEAVE, "--set", "employee_name=Ada", "--set", "days=3")
    assert result.exit_code == 2 and "sqlite:// is an in-memory database" in result.stderr


def test_a_sqlite_file_still_keeps_what_a_command_stores(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    started = cli("instance", "start", LEAVE, "--db", url, "--set", "employee_name=Ada")
    assert started.exit_code == 0, started.output
    listed = cli("instances", "--db", url)
    assert listed.exit_code == 0 and started.stdout.strip() in listed.stdout


@pytest.mark.parametrize("url", IN_MEMORY[1:])
def test_a_program_opening_one_without_create_is_not_sent_to_db_upgrade(url: str) -> None:
    """The migration's message: ``wfengine db upgrade`` (another program) cannot reach an
    in-memory database, so the advice is what this program can do."""
    with pytest.raises(SchemaOutdatedError) as raised:
        Engine.from_url(url, create=False)
    message = str(raised.value)
    assert "has no wfengine schema" in message
    assert "in-memory database" in message and "create=True" in message
    assert "wfengine db upgrade" not in message


def test_a_sqlite_file_without_schema_is_still_sent_to_db_upgrade(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    with pytest.raises(SchemaOutdatedError, match="wfengine db upgrade --db sqlite:///"):
        Engine.from_url(f"sqlite:///{path}", create=False)
