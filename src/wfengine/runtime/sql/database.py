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
  with the answer, nothing failing after it. A COMMIT sent whose answer never came (a batch's,
  :func:`~wfengine.runtime.sql.driver.note_commit_sent`, or SQLAlchemy's failing after the
  transaction's function returned) leaves the outcome unknown: before the next attempt the
  check the transaction said (:func:`~wfengine.runtime.sql.driver.note_check`, a command's
  commit says one) finds out whether it is stored, and a stored one is not run again; one
  without a check is tried again as it is (:mod:`~wfengine.runtime.sql.retry`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar, cast

import sqlalchemy as sa

from wfengine.errors import ConcurrencyError
from wfengine.runtime.sql.dialects import Dialect
from wfengine.runtime.sql.driver import DriverReads, attempt_began, attempt_outcome
from wfengine.runtime.sql.retry import RetryPolicy, first_line, run_with_retries
from wfengine.runtime.sql.unit import UnitOfWork

_T = TypeVar("_T")
_log = logging.getLogger("wfengine.store")


class _Doubt:
    """What one transaction's attempts left unknown: whether one whose COMMIT went unanswered
    committed, and how to find out (the check it said, its result when stored)."""

    __slots__ = ("check", "result", "unknown")

    def __init__(self) -> None:
        self.check: Callable[[sa.Connection], bool] | None = None
        self.result: Any = None
        #: an attempt's outcome is unknown and no check has answered since
        self.unknown = False

    def note(self, check: Callable[[sa.Connection], bool] | None, done: list[Any]) -> None:
        """An attempt's COMMIT went unanswered; ``check`` is the one it said (None: none),
        ``done`` holds its result when its function returned."""
        self.unknown = True
        if check is not None:
            self.check = check
            self.result = done[0] if done else None


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
        doubt = _Doubt()

        def attempt() -> _T:
            if doubt.check is not None and self._stored(doubt, shared):
                return cast(_T, doubt.result)
            attempt_began()
            done: list[_T] = []
            try:
                with (
                    self.connection(shared) as conn,
                    self.dialect.transaction(conn, batched=batched, write=write),
                ):
                    done.append(fn(conn))
            except sa.exc.DBAPIError as exc:
                committed, sent, check = attempt_outcome()
                # the COMMIT was answered, then the connection failed: the transaction is
                # stored, and running it again would do it twice
                if done and committed:
                    _log.warning(
                        "database %s: the connection ended after the transaction committed "
                        "(%s); it is not run again",
                        self.what,
                        first_line(exc),
                    )
                    return done[0]
                # sent (by the batch, or by SQLAlchemy's commit after ``fn`` returned) and
                # never answered: whether it committed is found out before the next attempt
                if write and (sent or done):
                    doubt.note(check, done)
                elif doubt.check is not None and isinstance(exc, sa.exc.IntegrityError):
                    return cast(_T, self._met_itself(doubt, shared, exc))
                raise
            except ConcurrencyError as exc:
                if doubt.check is not None:
                    return cast(_T, self._met_itself(doubt, shared, exc))
                raise
            return done[0]

        return run_with_retries(
            attempt, what=self.what, policy=self.retry, unknown=lambda: doubt.unknown
        )

    def _stored(self, doubt: _Doubt, shared: bool) -> bool:
        """Whether the transaction whose COMMIT went unanswered is stored (``doubt``'s check,
        read on its own; a failure is the attempt's, and the next one asks again)."""
        check = doubt.check
        assert check is not None
        with self.connection(shared) as conn, self.dialect.reading(conn):
            found = check(conn)
            conn.commit()  # ends SQLAlchemy's transaction; nothing reaches the server
        doubt.unknown = False  # known now: stored, or not (yet: see _met_itself)
        if found:
            _log.warning(
                "database %s: the transaction whose COMMIT went unanswered is stored; it is "
                "not run again",
                self.what,
            )
        return found

    def _met_itself(self, doubt: _Doubt, shared: bool, exc: Exception) -> Any:
        """An attempt after one whose COMMIT went unanswered lost a race (``exc``): with the
        rows of that one, stored after the check found them missing (the server was still
        committing it when the check read)? Then it is done; else ``exc`` is raised."""
        if self._stored(doubt, shared):
            return doubt.result
        raise exc

    def dispose(self) -> None:
        self.drop_connection()
        with self._kept_lock:
            kept, self._kept = self._kept, None
        if kept is not None:
            kept[1].close()
        self.sa_engine.dispose()
