"""How the SQL store talks to its database: reads, write transactions, connections, retries.

* **Reads** are single statements, each run on its own without a transaction (a statement is
  atomic by itself, so a BEGIN and COMMIT around it would only add round trips).
* **Writes** are one transaction each (on SQLite ``BEGIN IMMEDIATE``).
* **Connections**: inside a unit of work the unit's thread uses the one connection the unit
  holds, so a command pays one pool checkout, not one per
  statement; other threads (lease renewal) and calls outside a unit take a fresh one.
* **Faults**: every read and write runs under :mod:`~wfengine.runtime.sql.retry` (roll back,
  back off, retry; then :class:`~wfengine.errors.StoreUnavailableError`). A failed attempt
  drops the unit's connection, so a retry starts on a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import sqlalchemy as sa

from wfengine.runtime.sql.dialects import Dialect
from wfengine.runtime.sql.retry import RetryPolicy, run_with_retries
from wfengine.runtime.sql.unit import UnitOfWork

_T = TypeVar("_T")


class Database:
    """One SQLAlchemy engine (``sa_engine``) used the store's way (see the module notes).

    ``what`` names the database in errors (without its password).
    """

    def __init__(
        self,
        sa_engine: sa.Engine,
        dialect: Dialect,
        unit: UnitOfWork,
        retry: RetryPolicy,
        what: str,
    ) -> None:
        self.sa_engine = sa_engine
        self.dialect = dialect
        self.unit = unit
        self.retry = retry
        self.what = what

    @contextmanager
    def connection(self, shared: bool = True) -> Iterator[sa.Connection]:
        """The unit's connection when the unit's thread asks (``shared``), else a fresh one."""
        unit = self.unit
        if shared and unit.on_this_thread():
            conn = unit.connection
            if conn is None:
                conn = unit.connection = self.sa_engine.connect()
            try:
                yield conn
            except BaseException:
                self.drop_connection()
                raise
            return
        with self.sa_engine.connect() as fresh:
            yield fresh

    def drop_connection(self) -> None:
        """Give the unit's connection back to the pool (the unit takes a new one if needed)."""
        conn, self.unit.connection = self.unit.connection, None
        if conn is not None:
            conn.close()

    def read(self, fn: Callable[[sa.Connection], _T]) -> _T:
        """Run ``fn``, which executes one statement, without a transaction around it."""

        def attempt() -> _T:
            with self.connection() as conn, self.dialect.reading(conn):
                result = fn(conn)
                conn.commit()  # ends SQLAlchemy's transaction; nothing reaches the server
                return result

        return run_with_retries(attempt, what=self.what, policy=self.retry)

    def write(
        self, fn: Callable[[sa.Connection], _T], *, shared: bool = True, batched: bool = False
    ) -> _T:
        """Run ``fn`` as one write transaction (``shared=False``: never on the unit's
        connection, for the calls other threads may make; ``batched``: ``fn``'s first
        statement is in a :meth:`~wfengine.runtime.sql.dialects.Dialect.batched` block)."""

        def attempt() -> _T:
            with (
                self.connection(shared) as conn,
                self.dialect.transaction(conn, batched=batched),
            ):
                return fn(conn)

        return run_with_retries(attempt, what=self.what, policy=self.retry)

    def dispose(self) -> None:
        self.drop_connection()
        self.sa_engine.dispose()
