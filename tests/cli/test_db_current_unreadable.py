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


def test_db_upgrade_on_a_file_that_is_not_a_database_gives_the_same_advice(tmp_path: Path) -> None:
    """``db upgrade`` ended its advice "restore it from a backup (`wfengine db current` reads
    it), then run it again": a file that is not a database is no better read by db current."""
    path = tmp_path / "notes.db"
    path.write_text("hello\n")
    url = f"sqlite:///{path}"
    result = cli("db", "upgrade", "--db", url)
    assert result.exit_code == 2, result.output
    advice = "the file is damaged or is not a database: check the path, and restore it from a "
    assert f"{advice}backup, then run it again" in result.stderr
    assert "`wfengine db current` reads it" not in result.stderr
    assert path.read_text() == "hello\n"
