"""``wfengine db upgrade|current``: the database from ``--db`` or ``$WFENGINE_DB``, as every other
command takes it; with a URL of a database wfengine does not store in: exit 2 with the message
every other command gives, no traceback (it was a ModuleNotFoundError for the driver
SQLAlchemy looked for)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli.databases import cli, sqlite_url
from wfengine.cli.main import main


@pytest.mark.parametrize("command", ["upgrade", "current"])
@pytest.mark.parametrize("url", ["mysql://u@h/d", "oracle://u@h/d", "mssql+pyodbc://u@h/d"])
def test_a_database_wfengine_does_not_store_in_is_a_usage_error(command: str, url: str) -> None:
    result = cli("db", command, "--db", url)
    assert result.exit_code == 2, result.output
    assert "unsupported database" in result.stderr
    assert "wfengine stores in SQLite or PostgreSQL" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    listing = cli("instances", "--db", url)  # the same as every other command
    assert listing.exit_code == 2 and listing.stderr == result.stderr


def test_the_database_may_come_from_the_environment(tmp_path: Path) -> None:
    """``WFENGINE_DB=... wfengine db current`` was "Missing option '--db'", exit 2."""
    env = {"WFENGINE_DB": sqlite_url(tmp_path)}
    upgraded = CliRunner().invoke(main, ["db", "upgrade"], env=env)
    assert upgraded.exit_code == 0, upgraded.output
    assert "schema upgraded from empty to" in upgraded.stdout
    current = CliRunner().invoke(main, ["db", "current"], env=env)
    assert current.exit_code == 0, current.output
    assert "(up to date)" in current.stdout
    unset = CliRunner().invoke(main, ["db", "current"], env={"WFENGINE_DB": None})
    assert unset.exit_code == 2 and "Missing option '--db'" in unset.stderr  # still required
