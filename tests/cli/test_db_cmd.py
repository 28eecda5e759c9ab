"""``wfengine db upgrade|current`` with a URL of a database wfengine does not store in: exit 2
with the message every other command gives, no traceback (it was a ModuleNotFoundError for
the driver SQLAlchemy looked for)."""

from __future__ import annotations

import pytest

from tests.cli.databases import cli


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
