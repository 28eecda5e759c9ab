"""How the SQL store talks to its database: reads, write transactions, connections, retries.

* **Reads** are single statements, each run on its own without a transaction (a statement is
  atomic by itself, so a BEGIN and COMMIT around it would only add round trips); those every
  command makes run on the driver's cursor (:meth:`Database.rows`).
* **Writes** are one transaction each (on SQLite ``BEGIN IMMEDIATE``).
* **Connections**: inside a unit of work the unit's thread uses the one connection the unit
  holds, so a command pays one pool checkout, not one per statement. A connection a command
  or a read outside one gives back is kept checked out for the next command or read of the
  same thread (one at a time), which then pays no checkout at all: checking a SQLite
  connection out of SQLAlchemy's pool and giving it back cost 35-40 us, and a command and the
  query after it (its work items) paid it twice. Other threads (lease renewal) take a fresh
  one; :meth:`Database.dispose` closes the kept one.
* **Faults**: every read and write runs under :mod:`~wfengine.runtime.sql.retry` (roll back,
  back off, retry; then :class:`~wfengine.errors.StoreUnavailableError`). A failed attempt
  drops the unit's connection, so a retry starts on a new one. Every transaction, batched or
  not, is one attempt of the same kind: one whose COMMIT was answered is not a failed attempt,
  whatever fails after the answer (the connection the server ended right after it): it is not
  run again. What sends a COMMIT and sees its answer says so
  (:func:`~wfengine.runtime.sql.driver.note_committed`: a PostgreSQL batch, a watched one's
  COMMIT, :func:`~wfengine.runtime.sql.driver.commit`); SQLAlchemy's own commit returns only
  with the answer, nothing failing after it. A COMMIT whose answer never came is retried
  (:mod:`~wfengine.runtime.sql.retry` says what that leads to).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa

from wfengine.runtime.sql.dialects import Dialect
from wfengine.runtime.sql.driver import DriverReads, committed_before_failure
from wfengine.runtime.sql.retry import RetryPolicy, first_line, run_with_retries
from wfengine.runtime.sql.unit import UnitOfWork

_T = TypeVar("_T")
_log = logging.getLogger("wfengine.store")


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
        #: (thread id, connection): the connection given back last, kept checked out for
        #: that thread's next command or read (see the module notes)
        self._kept: tuple[int, sa.Connection] | None = None
        self._kept_lock = threading.Lock()
        self._driver_reads = DriverReads(
            dialect.positional(sa_engine.dialect), sa_engine.dialect, dialect.fetch
        )

    @contextmanager
    def connection(self, shared: bool = True) -> Iterator[sa.Connection]:
        """The unit's connection when the unit's thread asks (``shared``), else the one kept
        for this thread (given back after the block), else a fresh one (``shared=False``:
        always a fresh one, closed after the block)."""
        unit = self.unit
        if shared and unit.on_this_thread():
            conn = unit.connection
            if conn is None:
                conn = unit.connection = self.take()
            try:
                yield conn
            except BaseException:
                self.drop_connection()
                raise
            return
        if not shared:
            with self.sa_engine.connect() as fresh:
                yield fresh
            return
        conn = self.take()
        try:
            yield conn
        except BaseException:
            conn.close()  # a failed one goes back to the pool (which resets or drops it)
            raise
        self.give_back(conn)

    def take(self) -> sa.Connection:
        """The connection kept for this thread, else one from the pool."""
        me = threading.get_ident()
        with self._kept_lock:
            kept = self._kept
            if kept is not None and kept[0] == me:
                self._kept = None
                return kept[1]
        return self.sa_engine.connect()

    def give_back(self, conn: sa.Connection) -> None:
        """Keep ``conn``, which ended its work well, for this thread's next command or read
        when no other connection is kept; else return it to the pool."""
        if not (conn.closed or conn.invalidated or conn.in_transaction()):
            me = threading.get_ident()
            with self._kept_lock:
                if self._kept is None:
                    self._kept = (me, conn)
                    return
        conn.close()

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

    def rows(self, statement: sa.Select[Any], params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The rows ``statement``, a SELECT built once, reads with ``params``: as
        :meth:`read` runs a read, on the driver's cursor
        (:mod:`~wfengine.runtime.sql.driver`)."""
        reads = self._driver_reads
        return self.read(lambda conn: reads.rows(conn, statement, params))

    def row(self, statement: sa.Select[Any], params: Mapping[str, Any]) -> dict[str, Any] | None:
        """The first row of :meth:`rows`, or None."""
        found = self.rows(statement, params)
        return found[0] if found else None

    def write(
        self, fn: Callable[[sa.Connection], _T], *, shared: bool = True, batched: bool = False
    ) -> _T:
        """Run ``fn`` as one write transaction (``shared=False``: never on the unit's
        connection, for the calls other threads may make; ``batched``: ``fn``'s first
        statement is in a :meth:`~wfengine.runtime.sql.dialects.Dialect.batched` block)."""
        return self._transaction(fn, shared=shared, batched=batched, write=True)

    def snapshot(self, fn: Callable[[sa.Connection], _T]) -> _T:
        """Run ``fn``, which reads with several statements that must see one snapshot, in one
        read transaction (SQLite takes no write lock), retried like a write."""
        return self._transaction(fn, shared=True, batched=False, write=False)

    def _transaction(
        self, fn: Callable[[sa.Connection], _T], *, shared: bool, batched: bool, write: bool
    ) -> _T:
        def attempt() -> _T:
            committed_before_failure(reset=True)
            done: list[_T] = []
            try:
                with (
                    self.connection(shared) as conn,
                    self.dialect.transaction(conn, batched=batched, write=write),
                ):
                    done.append(fn(conn))
            except sa.exc.DBAPIError as exc:
                # the COMMIT was answered, then the connection failed: the transaction is
                # stored, and running it again would do it twice
                if done and committed_before_failure(reset=True):
                    _log.warning(
                        "database %s: the connection ended after the transaction committed "
                        "(%s); it is not run again",
                        self.what,
                        first_line(exc),
                    )
                    return done[0]
                raise
            return done[0]

        return run_with_retries(attempt, what=self.what, policy=self.retry)

    def dispose(self) -> None:
        self.drop_connection()
        with self._kept_lock:
            kept, self._kept = self._kept, None
        if kept is not None:
            kept[1].close()
        self.sa_engine.dispose()
