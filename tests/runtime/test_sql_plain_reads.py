"""A read on SQLite runs without the dialect's ``reading`` block, which does nothing there
(:meth:`~wfengine.runtime.sql.database.Database._plain_read`): it still keeps only a
connection that ended well, on the unit's connection inside a command as outside one, and
PostgreSQL's reads keep their autocommit block."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from wfengine.runtime.sql.dialects import Dialect, PostgresDialect, SqliteDialect
from wfengine.runtime.sql.store import SqlStore


def _one(conn: sa.Connection) -> int:
    return int(conn.exec_driver_sql("SELECT 1").scalar_one())


def test_only_a_dialect_whose_reading_does_nothing_skips_it() -> None:
    assert SqliteDialect.reading is Dialect.reading
    assert PostgresDialect.reading is not Dialect.reading  # (its autocommit block stays)


def test_a_failed_read_keeps_no_connection_and_a_good_one_is_kept(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'wf.db'}")
    db = store._db
    try:
        assert db._plain_reads
        failed: list[sa.Connection] = []

        def boom(conn: sa.Connection) -> int:
            failed.append(conn)
            raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            db.read(boom)
        assert db._kept is None  # the failed one went back to the pool, not kept
        assert db.read(_one) == 1
        assert db._kept is not None and db._kept[1] is not failed[0]
        with store.unit():  # inside a command: the unit's connection, kept for the unit
            with pytest.raises(RuntimeError, match="boom"):
                db.read(boom)
            assert db.unit.connection is None  # dropped with the failure
            assert db.read(_one) == 1
            assert db.unit.connection is not None
    finally:
        store.close()
