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
  one; :meth:`Database.dispose` closes the kept one. After it (``engine.close()``) nothing
  opens a connection again (a read quietly reopened the pool, and the SQLite file's ``-wal``
  and ``-shm`` stayed), and a command still running then gives its connection back to be
  closed, not kept.
* **A SQLite file deleted or replaced** under the store: kept and pooled connections still
  have the old file open, and committed into it, lost, while the host was told the command
  was stored. Every write transaction (a command's commit: its reads before it run on the
  connection its unit holds, which reads the old file as it was) and every read outside a
  command first asks the file's guard (:mod:`~wfengine.runtime.sql.sqlite_file`, one
  ``os.stat``, 1-3 us), which refuses with :class:`~wfengine.errors.StoreUnavailableError`
  naming the file; the guard is looked up once, here (none on PostgreSQL or in memory).
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
  transaction's function returned) leaves the outcome unknown, and it is found out before the
  next attempt; a stored one is not run again. On PostgreSQL every write transaction reads
  its own transaction id before its COMMIT is sent
  (:func:`~wfengine.runtime.sql.driver.note_xid`), and the server, asked on another
  connection, says what became of it: committed (the result stands), aborted (tried again),
  or still in progress (the server is still at it: asked again after each of the retry
  policy's waits, and after as many waits as it has attempts its server process, whose
  client is gone, is ended and the waits start over; a transaction still running then is
  a :class:`~wfengine.errors.StoreUnavailableError` that says its outcome is unknown,
  unless it said a check). When that id's answer never came either, or the server does not
  know it, the check the transaction said (:func:`~wfengine.runtime.sql.driver.note_check`,
  a command's commit says one) looks for its rows; one with neither is tried again as it is
  (:mod:`~wfengine.runtime.sql.retry`). A transaction that changed nothing (no id was
  assigned to it) or whose COMMIT was answered with a refusal has no unknown outcome
  (:func:`~wfengine.runtime.sql.driver.note_not_committed`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar, cast

import sqlalchemy as sa

from wfengine.errors import ConcurrencyError, IllegalStateError, StoreUnavailableError
from wfengine.runtime.interrupt_points import interrupt_point
from wfengine.runtime.sql.after_fork import inherited, renew_in_child
from wfengine.runtime.sql.dialects import Dialect
from wfengine.runtime.sql.driver import DriverReads, Said, attempt_began, attempt_outcome
from wfengine.runtime.sql.retry import RetryPolicy, first_line, is_transient, run_with_retries
from wfengine.runtime.sql.sqlite_file import guard_of
from wfengine.runtime.sql.sqlite_memory import private_memory
from wfengine.runtime.sql.unit import ThreadUnits, UnitOfWork

_T = TypeVar("_T")
_log = logging.getLogger("wfengine.store")


class _Doubt:
    """What one transaction's attempts left unknown: whether the last one whose COMMIT went
    unanswered committed, how to find out (the server's id of its transaction, the check it
    said), and its result should it be stored."""

    __slots__ = ("check", "result", "unknown", "xid")

    def __init__(self) -> None:
        self.check: Callable[[sa.Connection], bool] | None = None
        #: (transaction id, server process) of the last unanswered attempt, until the server
        #: has said what became of it
        self.xid: tuple[int, int] | None = None
        self.result: Any = None
        #: an attempt's outcome is unknown and nothing has answered since
        self.unknown = False

    def note(self, said: Said, done: list[Any]) -> None:
        """An attempt's COMMIT went unanswered; ``said`` is what it said, ``done`` holds its
        result when its function returned."""
        self.unknown = True
        self.xid = said.xid
        self.result = done[0] if done else None
        if said.check is not None:
            self.check = said.check

    @property
    def askable(self) -> bool:
        """Whether anything can tell if the unanswered attempt is stored."""
        return self.xid is not None or self.check is not None


class Database:
    """One SQLAlchemy engine (``sa_engine``) used the store's way (see the module notes).

    ``what`` names the database in errors (without its password).
    """

    def __init__(
        self,
        sa_engine: sa.Engine,
        dialect: Dialect,
        units: ThreadUnits,
        retry: RetryPolicy,
        what: str,
    ) -> None:
        self.sa_engine = sa_engine
        self.dialect = dialect
        self._units = units
        self.retry = retry
        self.what = what
        #: (thread id, connection): the connection given back last, kept checked out for
        #: that thread's next command or read (see the module notes)
        self._kept: tuple[int, sa.Connection] | None = None
        self._kept_lock = threading.Lock()
        #: :meth:`dispose` was called: no connection is taken or kept any more
        self._closed = False
        #: the guard of the SQLite file (None: no file to watch; see the module notes)
        self._file = guard_of(sa_engine)
        self._driver_reads = DriverReads(
            dialect.positional(sa_engine.dialect), sa_engine.dialect, dialect.fetch
        )
        #: the dialect's ``reading`` does nothing (SQLite): :meth:`read` skips it, read once
        #: here (see :meth:`_plain_read`)
        self._plain_reads = type(dialect).reading is Dialect.reading
        renew_in_child(self)

    def after_fork(self) -> None:
        """In a child process forked from this one: forget the parent's connections, the
        pool's and those checked out, without closing them
        (:mod:`~wfengine.runtime.sql.after_fork`); the child's first statement opens its own.

        Except on an in-memory SQLite database private to its connection
        (:func:`~wfengine.runtime.sql.sqlite_memory.private_memory`): its data lives in that
        connection, which the fork copied with the process, so the child keeps it and works
        on its own copy (a new one would be a new, empty database, which is refused)."""
        self._kept_lock = threading.Lock()
        if self.dialect.backend == "sqlite" and private_memory(self.sa_engine.url):
            return
        kept, self._kept = self._kept, None
        unit = self.unit  # (the forking thread's: a command it runs goes on, on a new one)
        for conn in (kept[1] if kept else None, unit.connection):
            if conn is not None:
                inherited(conn)
        unit.connection = None
        self.sa_engine.dispose(close=False)

    @property
    def unit(self) -> UnitOfWork:
        """The calling thread's unit of work (:class:`~wfengine.runtime.sql.unit.ThreadUnits`)."""
        return self._units.unit

    @contextmanager
    def connection(self, shared: bool = True) -> Iterator[sa.Connection]:
        """The unit's connection when the unit's thread asks (``shared``), else the one kept
        for this thread (given back after the block), else a fresh one (``shared=False``:
        always a fresh one, closed after the block)."""
        unit = self.unit
        if shared and unit.on_this_thread():
            conn = unit.connection
            if conn is None:
                conn = unit.connection = self.take(unit=True)
            try:
                yield conn
            except BaseException:
                self.drop_connection()
                raise
            return
        if not shared:
            self._refuse_closed()
            if self._file is not None:  # (a pooled connection is no new one: see take())
                self._file.refuse()
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

    def take(self, unit: bool = False) -> sa.Connection:
        """The connection kept for this thread, else one from the pool; neither when the
        SQLite file is gone or replaced (see the module notes: only a new connection's
        opening is checked by the guard itself), unless it is for a ``unit``, whose
        command's commit asks (one look a command, not two)."""
        self._refuse_closed()
        if self._file is not None and not unit:
            self._file.refuse()
        me = threading.get_ident()
        with self._kept_lock:
            kept = self._kept
            if kept is not None and kept[0] == me:
                self._kept = None
                return kept[1]
        return self.sa_engine.connect()

    def give_back(self, conn: sa.Connection) -> None:
        """Keep ``conn``, which ended its work well, for this thread's next command or read
        when no other connection is kept; else return it to the pool (closed: to be closed)."""
        if not (conn.closed or conn.invalidated or conn.in_transaction()):
            me = threading.get_ident()
            with self._kept_lock:
                if self._kept is None and not self._closed:
                    self._kept = (me, conn)
                    return
        conn.close()

    def drop_connection(self) -> None:
        """Give the unit's connection back to the pool (the unit takes a new one if needed)."""
        unit = self.unit
        conn, unit.connection = unit.connection, None
        if conn is not None:
            conn.close()

    def read(self, fn: Callable[[sa.Connection], _T]) -> _T:
        """Run ``fn``, which executes one statement, without a transaction around it."""
        if self._plain_reads:
            return run_with_retries(
                lambda: self._plain_read(fn),
                what=self.what,
                policy=self.retry,
                sleep=self._back_off,
            )

        def attempt() -> _T:
            with self.connection() as conn, self.dialect.reading(conn):
                result = fn(conn)
                conn.commit()  # ends SQLAlchemy's transaction; nothing reaches the server
                return result

        return run_with_retries(attempt, what=self.what, policy=self.retry, sleep=self._back_off)

    def _plain_read(self, fn: Callable[[sa.Connection], _T]) -> _T:
        """One attempt of :meth:`read` where the dialect's ``reading`` does nothing (SQLite):
        :meth:`connection`'s shared branch written out, without its generator and
        ``reading``'s (two context managers a read, about 5 us)."""
        unit = self.unit
        if unit.on_this_thread():
            conn = unit.connection
            if conn is None:
                conn = unit.connection = self.take(unit=True)
            try:
                result = fn(conn)
                conn.commit()  # ends SQLAlchemy's transaction; nothing reaches the server
            except BaseException:
                self.drop_connection()
                raise
            return result
        conn = self.take()
        try:
            result = fn(conn)
            conn.commit()
        except BaseException:
            conn.close()  # a failed one goes back to the pool (which resets or drops it)
            raise
        self.give_back(conn)
        return result

    def rows(self, statement: sa.Select[Any], params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The rows ``statement``, a SELECT built once, reads with ``params``: as
        :meth:`read` runs a read, on the driver's cursor
        (:mod:`~wfengine.runtime.sql.driver`)."""
        reads = self._driver_reads
        return self.read(lambda conn: reads.rows(conn, statement, params))

    def rows_on(
        self, conn: sa.Connection, statement: sa.Select[Any], params: Mapping[str, Any]
    ) -> list[dict[str, Any]]:
        """:meth:`rows` on ``conn``, inside a read the caller runs (:meth:`read`)."""
        return self._driver_reads.rows(conn, statement, params)

    @property
    def on_file(self) -> bool:
        """Whether the database is a SQLite file (whose connections are its own)."""
        return self._file is not None

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
            if doubt.askable and self._stored(doubt, shared):
                return cast(_T, doubt.result)
            if self._file is not None:  # (on the connection a command's reads used too)
                self._file.refuse()
            attempt_began()
            done: list[_T] = []
            try:
                with (
                    self.connection(shared) as conn,
                    self.dialect.transaction(conn, batched=batched, write=write),
                ):
                    done.append(fn(conn))
            except sa.exc.DBAPIError as exc:
                said = attempt_outcome()
                # the COMMIT was answered, then the connection failed: the transaction is
                # stored, and running it again would do it twice
                if done and said.committed:
                    _log.warning(
                        "database %s: the connection ended after the transaction committed "
                        "(%s); it is not run again",
                        self.what,
                        first_line(exc),
                    )
                    return done[0]
                # sent (by the batch, or by SQLAlchemy's commit after ``fn`` returned) and
                # never answered: whether it committed is found out before the next attempt
                # (unless nothing of it can be stored: refused, or it changed nothing; or
                # the SQLite library itself raised, whose COMMIT returns with its outcome)
                if write and not said.settled and (said.sent or done) and not self._said(exc):
                    doubt.note(said, done)
                elif doubt.check is not None and isinstance(exc, sa.exc.IntegrityError):
                    return cast(_T, self._met_itself(doubt, shared, exc))
                raise
            except ConcurrencyError as exc:
                if doubt.check is not None:
                    return cast(_T, self._met_itself(doubt, shared, exc))
                raise
            return done[0]

        return run_with_retries(
            attempt,
            what=self.what,
            policy=self.retry,
            unknown=lambda: doubt.unknown,
            sleep=lambda wait: self._back_off(wait, stops=not doubt.unknown),
        )

    def _back_off(self, wait: float, stops: bool = True) -> None:
        """The retry policy's wait, before it an :func:`~wfengine.runtime.interrupt_points.
        interrupt_point` (a Ctrl-C held for the command stops a lock wait or an outage here):
        every attempt so far was rolled back, unless one's COMMIT went unanswered (``stops``
        False: it is found out first, and the waits for its answer are no such point)."""
        if stops:
            interrupt_point()
        self.retry.sleep(wait)

    def _said(self, exc: sa.exc.DBAPIError) -> bool:
        """Is ``exc`` the SQLite library's own answer? Its COMMIT is a call on this machine
        that returns with its outcome: one that raised (a disk I/O error, a full disk) did
        not commit, and the transaction is not in doubt. (A connection error on SQLite is
        not the library's: the tests stand in for PostgreSQL's lost answers with those.)"""
        return self.dialect.backend == "sqlite" and type(exc.orig).__module__.startswith("sqlite3")

    def _stored(self, doubt: _Doubt, shared: bool) -> bool:
        """Whether the attempt whose COMMIT went unanswered is stored: what the server says
        became of its transaction id (waiting while it still runs, :meth:`_xact_outcome`),
        else what its check finds (a failure is the attempt's, and the next one asks
        again). A transaction still running after the waits, with no check to fall back
        on, raises :class:`~wfengine.errors.StoreUnavailableError`: running it again could
        do it twice."""
        status = None
        if doubt.xid is not None:
            xid, pid = doubt.xid
            status = self._xact_outcome(xid, pid, shared)
            if status == "committed":
                doubt.unknown = False
                self._found_stored()
                return True
            if status != "in progress":  # aborted, or the server does not say: ask no more
                doubt.xid = None
        if doubt.check is None:
            if status == "in progress":
                raise StoreUnavailableError(
                    f"the database {self.what} was still running a transaction whose COMMIT's "
                    f"answer never came (transaction id {xid}, server process {pid}) after "
                    "waiting for it, so whether it is stored is unknown and it is not run "
                    "again; check whether the change is there before you retry"
                )
            if status == "aborted":
                doubt.unknown = False
            return False
        check = doubt.check
        with self.connection(shared) as conn, self.dialect.reading(conn):
            found = check(conn)
            conn.commit()  # ends SQLAlchemy's transaction; nothing reaches the server
        doubt.unknown = False  # known now: stored, or not (yet: see _met_itself)
        if found:
            self._found_stored()
        return found

    def _found_stored(self) -> None:
        _log.warning(
            "database %s: the transaction whose COMMIT went unanswered is stored; it is "
            "not run again",
            self.what,
        )

    def _xact_outcome(self, xid: int, pid: int, shared: bool) -> str | None:
        """What became of transaction ``xid``, whose COMMIT went unanswered
        (:meth:`~wfengine.runtime.sql.dialects.Dialect.xact_status`), asked on another
        connection. While the server still runs it (its process ``pid`` had the COMMIT,
        or waits for more of a batch its client gave up), it is asked again after each of
        the retry policy's waits; after as many waits as it has attempts, that process is
        ended (:meth:`~wfengine.runtime.sql.dialects.Dialect.end_abandoned`: it holds the
        transaction's row locks, which a retry would wait for) and the waits start over.
        Returns ``"committed"``, ``"aborted"``, ``"in progress"`` (after those waits), or
        None when the server does not say (the id too old, or unknown to it: a server
        that took over from another)."""
        policy = self.retry
        ended = False
        waits = 0
        while True:
            status = self._ask(lambda conn: self.dialect.xact_status(conn, xid), shared)
            if status != "in progress":
                return status
            if waits == policy.attempts:
                if ended:
                    return status
                ended, waits = True, 0
                _log.warning(
                    "database %s: the transaction whose COMMIT went unanswered (id %d) still "
                    "runs; ending its server process %d",
                    self.what,
                    xid,
                    pid,
                )
                self._ask(lambda conn: self.dialect.end_abandoned(conn, xid, pid), shared)
            waits += 1
            policy.sleep(policy.delay(waits))

    def _ask(self, read: Callable[[sa.Connection], _T], shared: bool) -> _T | None:
        """``read``'s answer, run on a connection outside a transaction; None when the
        database refuses it (a transient failure is raised: the attempt's)."""
        try:
            with self.connection(shared) as conn, self.dialect.reading(conn):
                found = read(conn)
                conn.commit()  # ends SQLAlchemy's transaction; nothing reaches the server
                return found
        except sa.exc.DBAPIError as exc:
            if is_transient(exc):
                raise
            _log.warning("database %s: %s", self.what, first_line(exc))
            return None

    def _met_itself(self, doubt: _Doubt, shared: bool, exc: Exception) -> Any:
        """An attempt after one whose COMMIT went unanswered lost a race (``exc``): with the
        rows of that one, stored after the check found them missing (the server was still
        committing it when the check read)? Then it is done; else ``exc`` is raised."""
        if self._stored(doubt, shared):
            return doubt.result
        raise exc

    def _refuse_closed(self) -> None:
        """A closed database opens no connection (a read would reopen the pool)."""
        if self._closed:
            raise IllegalStateError(
                f"database {self.what}",
                "closed (engine.close() of the last engine on it, or store.close()): open a new "
                "Engine on it",
                "read or write",
            )

    def dispose(self) -> None:
        with self._kept_lock:
            self._closed = True  # (first: a command running now does not keep its connection)
        self.drop_connection()
        with self._kept_lock:
            kept, self._kept = self._kept, None
        if kept is not None:
            kept[1].close()
        self.sa_engine.dispose()
