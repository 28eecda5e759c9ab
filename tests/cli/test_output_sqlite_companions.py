"""An output (``-o``) never replaces the files SQLite keeps beside a database in use.

``wfengine audit --db sqlite:///wf.db -o wf.db-wal`` (meant ``wf.db.csv``) exited 0 and
renamed the export over the live write-ahead log: the commands after it failed with "disk
I/O error", and once the process holding the database was gone the instances committed in
the log were lost. The log, the shared-memory index and the rollback journal are refused as
the database itself is (exit 2, nothing written), by name beside a database and by their
first bytes under any name.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url
from wfengine.cli.exit_status import InputOutputError
from wfengine.cli.loading import write_output
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine


def _count(url: str) -> int:
    reader = Engine.from_url(url, create=False)
    try:
        return len(reader.instance_summaries())
    finally:
        reader.close()


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    """A host holding ``wf.db`` open, its last commits still in the write-ahead log."""
    url = sqlite_url(tmp_path)
    engine = Engine.from_url(url)
    pb = PackageBuilder("pkg")
    pb.participant("clerk", type="ROLE")
    pb.process("p").activity("a", performer="clerk")
    engine.deploy(pb.build())
    for _ in range(3):
        engine.start_process("p")
    try:
        yield url, engine
    finally:
        engine.close()


@pytest.mark.parametrize("suffix", ["-wal", "-shm"])
def test_the_live_companion_files_of_the_database_are_refused(
    holder: tuple[str, Engine], tmp_path: Path, suffix: str
) -> None:
    url, engine = holder
    companion = tmp_path / f"wf.db{suffix}"
    assert companion.exists()  # (the holder's connection keeps it)
    before = companion.stat().st_ino  # (its bytes change: the readers' marks are in it)
    slip = cli("audit", "--db", url, "-o", str(companion))
    assert slip.exit_code == 2, slip.output
    assert f"cannot write {companion}: it is the " in slip.stderr
    assert f"of the SQLite database {tmp_path / 'wf.db'}" in slip.stderr
    assert "name another file" in slip.stderr
    assert companion.stat().st_ino == before  # not replaced
    engine.start_process("p")  # the holder goes on writing
    assert _count(url) == 4
    assert [f.name for f in tmp_path.iterdir() if f.name.endswith(".tmp")] == []


def test_a_journal_not_there_yet_is_refused_by_its_name(tmp_path: Path) -> None:
    database = tmp_path / "wf.db"
    sqlite3.connect(database).execute("create table t (x)").connection.close()
    journal = tmp_path / "wf.db-journal"
    with pytest.raises(InputOutputError, match="the rollback journal of the SQLite database"):
        write_output(str(journal), b"a,b\n")
    assert not journal.exists()
    other = tmp_path / "notes.txt-wal"  # beside no database: an ordinary name
    write_output(str(other), b"a,b\n")
    assert other.read_bytes() == b"a,b\n"


def test_a_copy_under_another_name_is_known_by_its_first_bytes(
    holder: tuple[str, Engine], tmp_path: Path
) -> None:
    saved = tmp_path / "saved"
    saved.mkdir()
    for suffix, kind in [("-wal", "write-ahead log"), ("-shm", "shared-memory index")]:
        copy = saved / f"export{suffix.replace('-', '.')}"
        shutil.copyfile(tmp_path / f"wf.db{suffix}", copy)
        with pytest.raises(InputOutputError, match=f"it is a SQLite {kind}"):
            write_output(str(copy), b"a,b\n")
    journal = saved / "old.journal"
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(504))
    with pytest.raises(InputOutputError, match="it is a SQLite rollback journal"):
        write_output(str(journal), b"a,b\n")
