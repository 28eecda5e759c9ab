"""A SQLite commit's statements run by one batch runner (``driver.batch_on_cursor``), which
asks the connection once what each statement asked: each statement still has a cursor of
its own (the commit reads checked row counts after the block), a driver's error is still
SQLAlchemy's, and listeners or the engine's log still see every statement."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.dialects import Dialect, dialect_for
from wfengine.runtime.sql.store import SqlStore

OUTBOX = (
    'INSERT INTO outbox ("key", kind, instance_id, payload, created_at, status, attempts) '
    "VALUES (?, 'k', 'pi-1', 'null', '2027-01-04 09:00:00.000000', 'pending', 0)"
)
DONE = 'UPDATE outbox SET attempts = 1 WHERE "key" = ?'


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    found = SqlStore(f"sqlite:///{tmp_path / 'batch.db'}")
    yield found
    found.close()


def _dialect(store: SqlStore) -> Dialect:
    dialect = dialect_for(store.sa_engine.url)
    assert dialect is not None
    return dialect


def _batch(store: SqlStore, conn: sa.Connection) -> tuple[int, int]:
    dialect = _dialect(store)
    with dialect.batched(conn) as run:
        run(OUTBOX, [("a",), ("b",), ("c",)], many=True)
        one = run(DONE, ("a",))
        none = run(DONE, ("zzz",))
    return dialect.changed(one), dialect.changed(none)


def test_each_statement_tells_its_own_row_count_after_the_block(store: SqlStore) -> None:
    with store.sa_engine.begin() as conn:
        assert _batch(store, conn) == (1, 0)
        assert conn.execute(sa.select(sa.func.count()).select_from(t.outbox)).scalar() == 3


def test_a_drivers_error_is_sqlalchemys(store: SqlStore) -> None:
    with (
        store.sa_engine.begin() as conn,
        pytest.raises(sa.exc.IntegrityError),
        _dialect(store).batched(conn) as run,
    ):
        run(OUTBOX, ("a",))
        run('INSERT INTO outbox ("key") VALUES (?)', ("b",))  # NOT NULL refused


def test_listeners_and_the_log_see_every_statement(
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[Any] = []

    def before(conn: Any, cursor: Any, sql: str, args: Any, context: Any, many: bool) -> None:
        seen.append((sql, many))

    sa.event.listen(store.sa_engine, "before_cursor_execute", before)
    with store.sa_engine.begin() as conn:
        assert _batch(store, conn) == (1, 0)
    sa.event.remove(store.sa_engine, "before_cursor_execute", before)
    expected = [(OUTBOX, True), (DONE, False), (DONE, False)]
    assert [s for s in seen if s[0] in (OUTBOX, DONE)] == expected
    store.sa_engine.echo = True
    try:
        with (
            caplog.at_level(logging.INFO, logger="sqlalchemy.engine"),
            store.sa_engine.connect() as conn,
            conn.begin(),
        ):
            conn.exec_driver_sql("DELETE FROM outbox")
            caplog.clear()
            _batch(store, conn)
    finally:
        store.sa_engine.echo = False
    logged = [r.getMessage() for r in caplog.records]
    assert sum(OUTBOX in m for m in logged) == 1 and sum(DONE in m for m in logged) == 2
