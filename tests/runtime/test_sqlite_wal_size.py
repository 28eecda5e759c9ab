"""A SQLite database's WAL file: cut back when the log starts over (``journal_size_limit``), and
checkpointed every :data:`~wfengine.runtime.sql.sqlite_pragmas.WAL_CHECKPOINT_PAGES` pages.

Without the limit the file kept the size it once reached: a reader holding its snapshot while
the engine wrote (a long report, a backup), or two processes writing at once, grew it far past
the ~16 MB of one engine's steady work, and that disk was never given back. The checkpoint
interval is the engine's, not SQLite's default of 1,000 pages: a longer log copies each hot
page once for more commands."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from wfengine import Engine, Package, PackageBuilder
from wfengine.runtime.sql import sqlite_pragmas
from wfengine.runtime.sql.store import SqlStore

#: the limit in the test: small, so the file shows being cut back without writing 64 MB
LIMIT = 256 * 1024

#: the checkpoint interval (pages) in the tests: small, for the same reason
CHECKPOINT = 64


def _package() -> Package:
    pb = PackageBuilder("t")
    p = pb.process("p")
    p.start("s").activity("a").end("e").sequence("s", "a", "e")
    return pb.build()


def test_the_engines_connections_are_opened_with_the_limit(tmp_path: Path) -> None:
    with Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}") as engine:
        assert isinstance(engine.store, SqlStore)
        with engine.store.sa_engine.connect() as conn:
            limit = conn.exec_driver_sql("PRAGMA journal_size_limit").scalar()
            interval = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    assert limit == sqlite_pragmas.WAL_SIZE_LIMIT == 64 * 1024 * 1024
    assert interval == sqlite_pragmas.WAL_CHECKPOINT_PAGES == 4_000


def test_the_wal_is_checkpointed_at_the_engines_interval_not_sqlites_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Steady writes keep the WAL near the interval: with SQLite's default of 1,000 pages it
    would grow past 15 times this one before its first checkpoint."""
    monkeypatch.setattr(sqlite_pragmas, "WAL_CHECKPOINT_PAGES", CHECKPOINT)
    wal = tmp_path / "wf.db-wal"
    with Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}") as engine:
        engine.deploy(_package())
        assert isinstance(engine.store, SqlStore)
        with engine.store.sa_engine.connect() as conn:
            page = conn.exec_driver_sql("PRAGMA page_size").scalar()
        frame = page + 24  # a WAL frame: its header and the page
        largest = 0
        for _ in range(300):  # ~5,000 pages: five of SQLite's default checkpoints
            engine.start_process("p")
            largest = max(largest, wal.stat().st_size)
    # the COMMIT that crosses the interval checkpoints; the next one starts the log over
    assert largest <= (4 * CHECKPOINT) * frame, (largest, frame)


def test_the_wal_grown_under_a_long_reader_is_cut_back_once_the_reader_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_pragmas, "WAL_SIZE_LIMIT", LIMIT)
    monkeypatch.setattr(sqlite_pragmas, "WAL_CHECKPOINT_PAGES", CHECKPOINT)
    path = tmp_path / "wf.db"
    wal = tmp_path / "wf.db-wal"
    with Engine(db_url=f"sqlite:///{path}") as engine:
        engine.deploy(_package())
        reader = sqlite3.connect(path, isolation_level=None)
        try:
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM process_instances").fetchone()  # a snapshot
            while wal.stat().st_size < 16 * LIMIT:  # no checkpoint can pass the reader's mark
                engine.start_process("p")
        finally:
            reader.close()
        grown = wal.stat().st_size
        sizes = []
        for _ in range(500):  # a checkpoint runs every CHECKPOINT pages; the log then starts over
            engine.start_process("p")
            sizes.append(wal.stat().st_size)
            if sizes[-1] <= grown // 2:
                break
    assert min(sizes) <= grown // 2, (grown, max(sizes))
