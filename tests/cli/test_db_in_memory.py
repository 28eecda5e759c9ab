"""``wfengine db current|upgrade`` on an in-memory SQLite database: a usage error (exit 2)
saying it has no stored revision. Before, ``db current --db sqlite://`` printed "revision
none ... needs `wfengine db upgrade`" (exit 0) and ``db upgrade`` "schema upgraded from empty"
(exit 0): advice and success that cannot help, since each command's database is gone when it
ends. ``demo crm`` refuses the same URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url

IN_MEMORY = [
    "sqlite://",
    "sqlite:///:memory:",
    "sqlite:///file:wf?mode=memory&uri=true",
    "sqlite:///file::memory:?cache=shared&uri=true",
]


@pytest.mark.parametrize("command", ["current", "upgrade"])
@pytest.mark.parametrize("url", IN_MEMORY)
def test_an_in_memory_database_is_a_usage_error(command: str, url: str) -> None:
    result = cli("db", command, "--db", url)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "in-memory database" in result.stderr
    assert "no stored schema revision" in result.stderr
    assert "needs `wfengine db upgrade`" not in result.stderr


def test_a_sqlite_file_still_upgrades_and_reports(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    assert cli("db", "upgrade", "--db", url).exit_code == 0
    current = cli("db", "current", "--db", url)
    assert current.exit_code == 0 and "(up to date)" in current.stdout
