"""A SQLite database on a read-only mount cannot be read with ``mode=ro`` (WAL mode writes the
-shm file even to read); the error for a file that cannot be written named ``mode=ro`` as a
cause and left the reader no way forward. It now names ``immutable=1``, which reads it, and
that URL does read a database wfengine wrote."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import exc as sa_exc

from tests.cli.databases import automatic, cli, write
from wfengine import Engine
from wfengine.errors import StoreError
from wfengine.runtime.sql.retry import condition


def _sqlite_error(code: int, name: str) -> sa_exc.OperationalError:
    error = sqlite3.OperationalError("unable to open database file")
    error.sqlite_errorcode = code
    error.sqlite_errorname = name
    return sa_exc.OperationalError("SELECT 1", {}, error)


def test_a_file_that_cannot_be_written_names_the_url_that_reads_it() -> None:
    for code, name in ((14, "SQLITE_CANTOPEN"), (8, "SQLITE_READONLY")):
        advice = condition(_sqlite_error(code, name)) or ""
        assert "may write the file" in advice
        assert "sqlite:///file:PATH?immutable=1&uri=true" in advice


def test_the_named_url_reads_a_database_wfengine_wrote(tmp_path: Path) -> None:
    db = tmp_path / "wf.db"
    file = write(tmp_path, automatic())
    started = cli("instance", "start", file, "--db", f"sqlite:///{db}", "--count", "2")
    assert started.exit_code == 0, started.output
    listed = cli("instances", "--db", f"sqlite:///file:{db}?immutable=1&uri=true", "--json")
    assert listed.exit_code == 0, listed.output
    assert '"pi-1"' in listed.stdout and '"pi-2"' in listed.stdout


def test_immutable_is_refused_while_a_wal_file_holds_commits(tmp_path: Path) -> None:
    """A writer that died leaves its commits in ``-wal``: ``immutable=1`` would read the
    main file alone and list a terminated instance as running, or no schema at all."""
    db = tmp_path / "wf.db"
    file = write(tmp_path, automatic())
    started = cli("instance", "start", file, "--db", f"sqlite:///{db}", "--count", "2")
    assert started.exit_code == 0, started.output
    (tmp_path / "wf.db-wal").write_bytes(b"\0" * 32)  # (what a writer killed mid-run leaves)
    listed = cli("instances", "--db", f"sqlite:///file:{db}?immutable=1&uri=true")
    assert listed.exit_code == 2, listed.output
    assert "wf.db-wal beside it holds commits" in listed.stderr
    assert "nothing was opened" in listed.stderr
    with pytest.raises(StoreError, match=r"wf\.db-wal beside it holds commits"):
        Engine(db_url=f"sqlite:///file:{db}?immutable=1&uri=true")


def test_immutable_reads_a_database_beside_a_wal_that_is_no_file(tmp_path: Path) -> None:
    """Only a -wal FILE holds commits: a folder of that name (a backup tool's, say) is none."""
    db = tmp_path / "wf.db"
    file = write(tmp_path, automatic())
    started = cli("instance", "start", file, "--db", f"sqlite:///{db}")
    assert started.exit_code == 0, started.output
    (tmp_path / "wf.db-wal").mkdir()
    listed = cli("instances", "--db", f"sqlite:///file:{db}?immutable=1&uri=true", "--json")
    assert listed.exit_code == 0, listed.output
    assert '"pi-1"' in listed.stdout
