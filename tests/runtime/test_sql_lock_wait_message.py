"""A write that gave up waiting for a lock says someone holds the lock, not that the
database may be down.

After its attempts ran out behind another process's open write transaction (SQLite's
BEGIN IMMEDIATE, an operator's forgotten session), the store used to end with "check that
the database is up, then retry" while the database was up all along.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from wfengine.errors import StoreUnavailableError
from wfengine.runtime.sql.retry import RetryPolicy, run_with_retries


def test_attempts_run_out_behind_another_write_transaction(tmp_path: Path) -> None:
    path = tmp_path / "wf.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("create table t (n integer)")
    holder.execute("BEGIN IMMEDIATE")  # the other process's write lock, held throughout
    holder.execute("insert into t values (1)")
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.01})

    def attempt() -> None:
        with engine.begin() as connection:
            connection.execute(text("insert into t values (2)"))

    try:
        with pytest.raises(StoreUnavailableError) as raised:
            run_with_retries(
                attempt, what="wf.db", policy=RetryPolicy(attempts=2), sleep=lambda _s: None
            )
    finally:
        holder.rollback()
        holder.close()
        engine.dispose()
    message = str(raised.value)
    assert "database is locked" in message
    assert "another connection or process holds the database's write lock" in message
    assert "check that the database is up" not in message


class _PgError(Exception):
    """A PostgreSQL driver error as the store sees it: a message and a SQLSTATE."""

    def __init__(self, message: str, sqlstate: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "says"),
    [
        ("40P01", "concurrent transactions kept conflicting"),
        ("40001", "concurrent transactions kept conflicting"),
        ("08006", "check that the database is up"),
    ],
)
def test_postgresql_final_errors_say_what_to_look_at(sqlstate: str, says: str) -> None:
    from sqlalchemy import exc as sa_exc

    def attempt() -> None:
        raise sa_exc.OperationalError("UPDATE jobs", {}, _PgError("it failed", sqlstate))

    with pytest.raises(StoreUnavailableError, match=says):
        run_with_retries(attempt, what="pg", policy=RetryPolicy(attempts=2), sleep=lambda _s: 0)
