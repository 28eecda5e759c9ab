"""What differs between SQLite and PostgreSQL, one class per database, chosen once per store.

The store's logic is written once against :class:`Dialect`; nothing else asks which database
it talks to. A dialect knows:

* **connection settings** (:meth:`Dialect.create_engine`). SQLite: WAL journal (readers never
  block the writer), ``busy_timeout``, foreign keys on, ``synchronous=NORMAL``, a bounded WAL
  file (:mod:`~wfengine.runtime.sql.sqlite_pragmas` says why each). pysqlite's own transaction
  handling is switched off and BEGIN is issued by :meth:`Dialect.transaction`, so a write
  transaction takes the write lock at its start (``BEGIN IMMEDIATE``): two engines then queue
  for the lock rather than both reading and one failing on upgrade. No SQLAlchemy connection
  event is listened to: one listener makes
  SQLAlchemy dispatch every connection event of every statement (a tenth of a SQLite command's
  time, measured). So ``engine.begin()`` on a SQLite engine runs each statement on its own:
  every transaction goes through :meth:`Dialect.transaction` (or
  :func:`~wfengine.runtime.sql.connect.begin`).
  PostgreSQL: ``postgresql+psycopg://`` (psycopg 3), READ COMMITTED (optimistic row versions and
  ``FOR UPDATE SKIP LOCKED`` do the rest), connections not pinged when they leave the pool (a
  round trip per command): one a restarted server dropped fails its first statement as a
  disconnect, which the retry policy runs again on a new connection.
* **how a lone read runs** (:meth:`Dialect.reading`): without BEGIN and COMMIT, which would only
  add round trips to a statement that is atomic by itself (SQLite: none is issued outside
  :meth:`Dialect.transaction`; PostgreSQL: the driver connection is in autocommit mode for the
  statement); a built-once read (:meth:`Dialect.fetch`) runs on the driver's cursor, on
  PostgreSQL on libpq's pipeline like a commit's batch (below).
* **how a transaction runs** (:meth:`Dialect.transaction`): a write's ``BEGIN IMMEDIATE`` on
  SQLite (a read that needs one snapshot for several statements: ``BEGIN``); on PostgreSQL a
  commit's BEGIN goes in its pipeline (below), and every write reads its transaction id
  before its COMMIT is sent (a batch right after its BEGIN, any other write in the round
  trip of its COMMIT), for :meth:`Dialect.xact_status` (:mod:`~wfengine.runtime.sql.xact_ids`).
* **statements sent without waiting for each answer** (:meth:`Dialect.batched`, which gives
  the block the :class:`~wfengine.runtime.sql.driver.Run` its statements go to): on
  PostgreSQL a commit's whole transaction, its BEGIN and COMMIT included, goes in one libpq
  pipeline, sent by wfengine on psycopg's libpq wrapper (:mod:`~wfengine.runtime.sql.pipeline`;
  through psycopg's cursors' own pipeline when cursor-event listeners or ``echo`` watch the
  statements): one round trip for all, not one each; a failure surfaces at the end of the
  batch as the SQLAlchemy error it would have been, and the rows each statement changed are
  counted then, :meth:`Dialect.changed`. SQLite, in the same process, has no round trips to
  save: its statements run one by one on the driver's cursor.
* **statements that must change a row** (:meth:`Dialect.checked`): the instance row at the
  version the command read, the job it carried out. SQLite's commit reads their row counts
  before it commits. On PostgreSQL the COMMIT has already gone with them, so such a statement
  fails in the server when it changes nothing (``WITH changed AS (... RETURNING 1) SELECT 1 /
  count(*) FROM changed``: a division by zero, SQLSTATE 22012, :meth:`Dialect.check_failed`),
  which aborts the transaction and the COMMIT with it.
* **upserts** (:meth:`Dialect.upsert`): ``INSERT ... ON CONFLICT DO UPDATE`` in each dialect's
  SQLAlchemy construct.
* **the driver's own form** of what the commit writes straight to it
  (:mod:`~wfengine.runtime.sql.wire`): statements compiled with positional parameters
  (:meth:`Dialect.positional`) and times as the driver takes them (:meth:`Dialect.wire_time`:
  SQLite the text SQLAlchemy writes for a naive UTC ``DATETIME``, PostgreSQL the aware
  datetime).
* **claiming jobs** (:meth:`Dialect.claim`): on PostgreSQL one
  ``UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING``, so engines skip each
  other's rows; on SQLite a SELECT and an UPDATE under the ``BEGIN IMMEDIATE`` of the write
  transaction (one writer at a time makes the pair atomic).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.engine import Dialect as SaDialect

from wfengine.errors import StoreError
from wfengine.runtime.sql import driver, xact_ids
from wfengine.runtime.sql.driver import Run, driver_error, execute, on_cursor
from wfengine.runtime.sql.schema import utc
from wfengine.runtime.sql.sqlite_file import FileGuard, file_path
from wfengine.runtime.sql.sqlite_memory import OneMemoryConnection, private_memory, with_memory_pool
from wfengine.runtime.sql.sqlite_pragmas import sqlite_connect
from wfengine.runtime.sql.sqlite_uri import created_file

if TYPE_CHECKING:
    from wfengine.runtime.sql.pipeline import Batch

#: what SqliteDialect.transaction opens a write and a read transaction with
_BEGIN_WRITE = "BEGIN IMMEDIATE"
_BEGIN_READ = "BEGIN"

#: the first statement of a PostgreSQL read transaction (see Dialect.transaction)
_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"

#: libpq's transaction status of a connection with no transaction open, and with one open
#: whose statements have all succeeded
_IDLE = 0
_INTRANS = 2
#: the SQLSTATE of a :meth:`PostgresDialect.checked` statement that changed no row
_DIVISION_BY_ZERO = "22012"


class Dialect:
    """The database-specific part of the SQL store (see the module notes)."""

    #: the SQLAlchemy backend name this dialect serves
    backend = ""

    def create_engine(self, url: URL, **kwargs: Any) -> sa.Engine:
        """A SQLAlchemy engine with this database's connection settings."""
        return sa.create_engine(url, **kwargs)

    def missing(self, url: URL) -> str | None:
        """Where the database ``url`` names would be made by connecting to it, when it does
        not exist yet (a SQLite file); None when it exists or connecting makes nothing."""
        return None

    @contextmanager
    def reading(self, conn: sa.Connection) -> Iterator[None]:
        """Run the statements of the block without a transaction around them."""
        yield

    @contextmanager
    def transaction(
        self, conn: sa.Connection, *, batched: bool = False, write: bool = True
    ) -> Iterator[None]:
        """One transaction on ``conn``, committed when the block ends, rolled back when it
        raises. ``batched``: the block's first statement is in a :meth:`batched` block, which
        may then send the transaction's BEGIN along with its statements. ``write=False``: the
        block only reads, several statements that must see one snapshot (SQLite then takes no
        write lock)."""
        with conn.begin():
            yield

    @contextmanager
    def batched(self, conn: sa.Connection) -> Iterator[Run]:
        """Run the statements given to the block's :class:`~wfengine.runtime.sql.driver.Run`
        possibly without waiting for each one's answer: their rows are not read, errors may
        surface only when the block ends, and how many rows a statement changed is known
        then (:meth:`changed`)."""
        yield driver.batch_on_cursor(conn)

    def fetch(
        self, conn: sa.Connection, sql: str, args: Any
    ) -> tuple[Sequence[Sequence[Any]], Sequence[Any]]:
        """The rows a built-once SELECT (``sql`` with ``args``, the driver's form) reads, and
        each column's driver type code (:class:`~wfengine.runtime.sql.driver.Fetch`): here on
        the driver's cursor."""
        return driver.fetch(conn, sql, args)

    def changed(self, sent: Any) -> int:
        """How many rows a statement changed, from what its ``Run`` returned (the driver's
        cursor, or a PostgreSQL batch's ``Sent``), asked after its :meth:`batched` block
        ended (-1 when its answer never came: an earlier statement failed)."""
        count: int = sent.rowcount
        return count

    def checked(self, sql: str) -> str:
        """The SQL to send for ``sql``, a statement that must change exactly one row for the
        transaction to commit (see the module notes): here ``sql`` itself, whose row count
        the commit reads (:meth:`changed`) before it commits."""
        return sql

    def check_failed(self, exc: sa.exc.DBAPIError) -> bool:
        """Whether ``exc`` is a :meth:`checked` statement refusing to commit (it changed no
        row), not an error of the database."""
        return False

    def violated_table(self, exc: sa.exc.IntegrityError) -> str | None:
        """The table whose constraint ``exc`` reports violated, when the driver says."""
        raise NotImplementedError

    def xact_status(self, conn: sa.Connection, xid: int) -> str | None:
        """What became of transaction ``xid`` (:func:`~wfengine.runtime.sql.driver.note_xid`;
        only PostgreSQL says ids): :func:`~wfengine.runtime.sql.xact_ids.status`."""
        return None

    def end_abandoned(self, conn: sa.Connection, xid: int, pid: int) -> bool:
        """:func:`~wfengine.runtime.sql.xact_ids.end_abandoned`: its client gave it up."""
        return False

    def _insert(self, table: sa.Table) -> sqlite.Insert | postgresql.Insert:
        raise NotImplementedError

    def positional(self, dialect: SaDialect) -> SaDialect:
        """``dialect`` (the engine's), or one like it whose parameters are positional."""
        return dialect

    def wire_time(self, value: datetime) -> Any:
        """An aware datetime as the driver takes it for a ``UtcDateTime`` column."""
        raise NotImplementedError

    def upsert(
        self,
        table: sa.Table,
        key: Sequence[str],
        replace: Sequence[str] = (),
        set_: Mapping[str, Any] | None = None,
    ) -> sa.Insert:
        """``INSERT`` into ``table`` that, on a row with the same ``key``, instead takes the
        new values of the ``replace`` columns and sets ``set_``."""
        insert = self._insert(table)
        values: dict[str, Any] = {c: insert.excluded[c] for c in replace}
        values.update(set_ or {})
        return insert.on_conflict_do_update(index_elements=list(key), set_=values)

    def claim(
        self,
        conn: sa.Connection,
        table: sa.Table,
        candidates: sa.Select[Any],
        lease: Mapping[str, Any],
        returning: Sequence[sa.ColumnElement[Any]],
    ) -> Sequence[sa.RowMapping]:
        """Set ``lease`` on the rows of ``table`` whose ids ``candidates`` selects (one
        column: ``table.c.id``), skipping rows another transaction holds; returns the rows'
        ``returning`` columns."""
        raise NotImplementedError


class SqliteDialect(Dialect):
    """SQLite: a file, one writer at a time."""

    backend = "sqlite"

    def create_engine(self, url: URL, **kwargs: Any) -> sa.Engine:
        if (path := self.missing(url)) is not None and not Path(path).parent.is_dir():
            # SQLite would say only "unable to open database file", at the first connection
            raise StoreError(
                f"cannot make the database {path}: the directory {Path(path).parent} does not exist"
            )
        engine = sa.create_engine(url, **with_memory_pool(url, kwargs))
        # a pool event: SQLAlchemy dispatches no connection events per statement (see the
        # module notes; the BEGIN a "begin" listener would issue is transaction()'s)
        event.listen(engine, "connect", sqlite_connect)
        if private_memory(url):
            event.listen(engine, "connect", OneMemoryConnection(url))
        if (path := file_path(url)) is not None:
            # once opened, the file is never made again by a later connection (a deleted
            # database came back empty under a running worker)
            FileGuard(path).watch(engine)
        return engine

    def missing(self, url: URL) -> str | None:
        # connecting creates the file (a file: URI's unless its mode or vfs says otherwise)
        path = file_path(url) or created_file(url)
        return None if path is None or Path(path).exists() else path

    @contextmanager
    def transaction(
        self, conn: sa.Connection, *, batched: bool = False, write: bool = True
    ) -> Iterator[None]:
        # pysqlite issues no BEGIN of its own (sqlite_connect); its commit() and rollback()
        # end the transaction this opens, when SQLAlchemy's does. A write takes the write
        # lock from the start.
        with conn.begin():
            # on the driver's cursor: SQLAlchemy's execution cost about 6 us a command
            execute(conn, _BEGIN_WRITE if write else _BEGIN_READ, ()).close()
            yield

    def _insert(self, table: sa.Table) -> sqlite.Insert:
        return sqlite.insert(table)

    def violated_table(self, exc: sa.exc.IntegrityError) -> str | None:
        # sqlite3 says only "UNIQUE constraint failed: table.column, ..."
        found = re.search(r"constraint failed: (\w+)\.", str(exc.orig))
        return found.group(1) if found else None

    def wire_time(self, value: datetime) -> Any:
        # SQLAlchemy's SQLite DATETIME text ("2027-01-04 09:00:00.000000") of the UTC time
        return utc(value).replace(tzinfo=None).isoformat(" ", "microseconds")

    def claim(
        self,
        conn: sa.Connection,
        table: sa.Table,
        candidates: sa.Select[Any],
        lease: Mapping[str, Any],
        returning: Sequence[sa.ColumnElement[Any]],
    ) -> Sequence[sa.RowMapping]:
        ids = list(conn.execute(candidates).scalars())
        if not ids:
            return []
        stmt = table.update().where(table.c.id.in_(ids)).values(lease).returning(*returning)
        return conn.execute(stmt).mappings().all()


class PostgresDialect(Dialect):
    """PostgreSQL through psycopg 3: many engines, row locks."""

    backend = "postgresql"

    def create_engine(self, url: URL, **kwargs: Any) -> sa.Engine:
        # no ping when a connection leaves the pool (a round trip per command): one the server
        # dropped fails its first statement as a disconnect, and the retry policy runs the
        # read or the whole write again on a new connection
        return sa.create_engine(url, **kwargs)

    @contextmanager
    def reading(self, conn: sa.Connection) -> Iterator[None]:
        raw: Any = conn.connection.dbapi_connection
        raw.autocommit = True
        try:
            yield
        finally:
            if not raw.closed:
                raw.autocommit = False

    @contextmanager
    def transaction(
        self, conn: sa.Connection, *, batched: bool = False, write: bool = True
    ) -> Iterator[None]:
        raw: Any = conn.connection.dbapi_connection
        if not batched:
            if raw.autocommit:  # never left so (see below), but a write must be one transaction
                raw.autocommit = False
            with conn.begin():
                if not write:  # READ COMMITTED would give each statement its own snapshot
                    conn.exec_driver_sql(_SNAPSHOT)
                yield
                if write and raw.info.transaction_status == _INTRANS:
                    # the COMMIT in one round trip with a SELECT of the transaction's id,
                    # whose answer the server sends before it commits; SQLAlchemy's commit
                    # then finds no transaction open (nothing is sent)
                    with self._libpq(conn, raw, begin=False, commit=True, xid=xact_ids.IF_ASSIGNED):
                        pass
            return
        # psycopg sends the BEGIN it starts a transaction with on its own and waits for the
        # answer, even in a pipeline: a round trip per commit. In autocommit mode it sends
        # none, so :meth:`batched` sends it, first in its pipeline, and the COMMIT last;
        # SQLAlchemy's commit then finds no transaction open (nothing is sent), and its
        # rollback ends the one a failed batch left open.
        raw.autocommit = True
        try:
            with conn.begin():
                yield
        finally:
            if not raw.closed:
                if raw.info.transaction_status == _IDLE:
                    raw.autocommit = False
                else:  # a transaction left open (the connection failed): never reuse it
                    conn.invalidate()

    @contextmanager
    def batched(self, conn: sa.Connection) -> Iterator[Run]:
        raw: Any = conn.connection.dbapi_connection
        idle = raw.info.transaction_status == _IDLE
        own = raw.autocommit and idle  # the batch is its transaction: see transaction()
        if _watched(conn):
            with self._cursor_pipeline(conn, raw, own):
                yield on_cursor(conn)
            return
        # outside autocommit, psycopg would begin before the first statement
        with self._libpq(
            conn, raw, begin=idle, commit=own, xid=xact_ids.CURRENT if own else None
        ) as batch:
            yield batch

    def fetch(
        self, conn: sa.Connection, sql: str, args: Any
    ) -> tuple[Sequence[Sequence[Any]], Sequence[Any]]:
        # the read on libpq too (psycopg's cursor, its result and description objects cost
        # a read more of the client's CPU than the round trip's wait)
        raw: Any = conn.connection.dbapi_connection
        if _watched(conn):
            return driver.fetch(conn, sql, args)
        begin = not raw.autocommit and raw.info.transaction_status == _IDLE
        with self._libpq(conn, raw, begin=begin, commit=False) as batch:
            sent = batch(sql, args)
        return batch.rows(sent)

    @contextmanager
    def _libpq(
        self,
        conn: sa.Connection,
        raw: Any,
        *,
        begin: bool,
        commit: bool,
        xid: tuple[str, str] | None = None,
    ) -> Iterator[Batch]:
        """A batch on libpq (:mod:`~wfengine.runtime.sql.pipeline`): a BEGIN first, a COMMIT
        last when asked; what the server refused raised at the end as SQLAlchemy's error.
        ``xid`` (with a COMMIT; a pair of :mod:`~wfengine.runtime.sql.xact_ids`): the SELECT
        of the transaction's id sent after the BEGIN, so that the store can ask what became
        of it should the COMMIT's answer never come."""
        from wfengine.runtime.sql.pipeline import Batch  # psycopg is an optional dependency

        base = conn.dialect.loaded_dbapi.Error
        try:
            batch = Batch(raw, conn.connection.info)
            if begin:
                batch.send_begin()
            if xid is not None:
                batch.send_xid(xact_ids.sql_for(raw, xid))
            yield batch
            if commit:
                batch.send_commit()  # skipped by the server when a statement before it failed
            batch.finish()
        except base as exc:  # the connection failed, or a value psycopg cannot send
            error = driver_error(conn, exc, raw=raw)
            _drop_unfinished(conn, raw)
            raise error from exc
        except BaseException:
            _drop_unfinished(conn, raw)
            raise
        if batch.failed is not None:
            failure, sent = batch.failed
            raise driver_error(conn, failure, sent.sql, sent.params, raw=raw) from failure

    @contextmanager
    def _cursor_pipeline(self, conn: sa.Connection, raw: Any, own: bool) -> Iterator[None]:
        base = conn.dialect.loaded_dbapi.Error
        try:
            with raw.pipeline():
                if own:
                    raw.execute("BEGIN")  # see transaction(batched=True)
                    xid = raw.execute(xact_ids.sql_for(raw, xact_ids.CURRENT))
                yield
            if own:
                # the transaction's id is known before its COMMIT is sent
                driver.note_xid(int(xid.fetchone()[0]), raw.pgconn.backend_pid)
                # after the batch's answers (a failed statement, a checked one that changed
                # no row included, raised above: no COMMIT is sent), on its own so that its
                # answer is seen and noted: psycopg loses a pipeline's answers when the server
                # ends the connection before the pipeline's sync (driver.commit)
                driver.commit(raw)
        except base as exc:  # raised at the pipeline's end, outside SQLAlchemy's execute
            raise driver_error(conn, exc, raw=raw) from exc

    def xact_status(self, conn: sa.Connection, xid: int) -> str | None:
        return xact_ids.status(conn, xid)

    def end_abandoned(self, conn: sa.Connection, xid: int, pid: int) -> bool:
        return xact_ids.end_abandoned(conn, xid, pid)

    def _insert(self, table: sa.Table) -> postgresql.Insert:
        return postgresql.insert(table)

    def checked(self, sql: str) -> str:
        return f"WITH changed AS ({sql} RETURNING 1) SELECT 1 / count(*) FROM changed"

    def check_failed(self, exc: sa.exc.DBAPIError) -> bool:
        return getattr(exc.orig, "sqlstate", None) == _DIVISION_BY_ZERO

    def violated_table(self, exc: sa.exc.IntegrityError) -> str | None:
        diag = getattr(exc.orig, "diag", None)
        table: str | None = getattr(diag, "table_name", None)
        return table

    def positional(self, dialect: SaDialect) -> SaDialect:
        # psycopg takes "%s" as well as the "%(name)s" SQLAlchemy compiles for it
        made: SaDialect = cast(Any, type(dialect))(paramstyle="format")
        return made

    def wire_time(self, value: datetime) -> Any:
        return utc(value)

    def claim(
        self,
        conn: sa.Connection,
        table: sa.Table,
        candidates: sa.Select[Any],
        lease: Mapping[str, Any],
        returning: Sequence[sa.ColumnElement[Any]],
    ) -> Sequence[sa.RowMapping]:
        # one statement: the locked rows are leased by the same round trip
        chosen = candidates.with_for_update(skip_locked=True, of=table).scalar_subquery()
        stmt = table.update().where(table.c.id.in_(chosen)).values(lease).returning(*returning)
        return conn.execute(stmt).mappings().all()


def _watched(conn: sa.Connection) -> bool:
    """Whether someone watches ``conn``'s statements: cursor-event listeners, or ``echo``."""
    return driver.listened(conn) or bool(conn.engine.echo)


def _drop_unfinished(conn: sa.Connection, raw: Any) -> None:
    """A batch left in the middle (its answers not all read): the connection's protocol state
    is unknown, so it is never used again."""
    if not raw.closed:
        conn.invalidate()


_DIALECTS: dict[str, type[Dialect]] = {d.backend: d for d in (SqliteDialect, PostgresDialect)}


def dialect_for(url: URL) -> Dialect | None:
    """The dialect serving ``url``'s database; None for a database wfengine cannot store in."""
    found = _DIALECTS.get(url.get_backend_name())
    return None if found is None else found()
