"""``wfengine db current`` on a file that is not a database: it printed SQLAlchemy's raw error
with its background link, while every other command said what was wrong and what to check."""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import cli


def test_a_file_that_is_not_a_database_is_diagnosed(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("hello, this is not a database\n")
    url = f"sqlite:///{path}"
    result = cli("db", "current", "--db", url)
    assert result.exit_code == 2, result.output
    message = result.stderr
    refused = "the database refused it (DatabaseError: file is not a database)"
    assert f"cannot read {url}: {refused}" in message
    assert "the file is damaged or is not a database: check the path" in message
    assert "sqlalche.me" not in message and "(sqlite3." not in message
    assert "`wfengine db current` reads it" not in message  # (this is that command)
    assert path.read_text() == "hello, this is not a database\n"  # nothing written
