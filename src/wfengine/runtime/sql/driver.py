"""Statements run on the driver's own cursor: the reads every command makes, and the
commit's statements (:mod:`~wfengine.runtime.sql.wire`).

A command reads before it writes: the latest version of the process it starts, the work item
it completes with its instance's row, the job it runs with its instance's row; and a driver of
the engine asks for an instance's work items after each command. Through SQLAlchemy's
``execute`` such a read cost about 48 us more than the driver's own 12 us on SQLite (2.1,
measured on the open-work-items read: the execution context, the result's metadata and
wrappers, the autobegun transaction), the better part of a read, and a command and the query
after it make two or three; each of a commit's statements cost about 5 us more through
``exec_driver_sql`` than on the driver. Here a statement is compiled once per store with the
dialect's positional parameters (a read's by :class:`DriverReads`, a write's by the Wire) and
run on the driver's cursor (:func:`execute`); a read's rows come as dicts keyed like
SQLAlchemy's mappings.

What stays SQLAlchemy's, so a read returns what ``conn.execute(statement).mappings()`` would
and a write does what ``exec_driver_sql`` did:

* the SQL, compiled by the dialect; a read parameter's value through its type's bind
  processor (the Wire renders a write's rows itself);
* each column's value through the result processor its type gives for the dialect and the
  driver's column type (a ``UtcDateTime``'s aware datetime, a JSON column's value), taken
  the first time the statement runs;
* the errors: one the driver raises is raised as SQLAlchemy's, the connection invalidated when
  it is gone (:func:`driver_error`), so the retry policy, the
  commit's race checks and the connection handling treat it as any other;
* the events and the log: ``before_cursor_execute`` and ``after_cursor_execute`` listeners
  (a host's statement log, the tests that look at a read's plan or cut a commit short) see
  each statement, with no execution context (None), and an engine made with ``echo`` logs it.

On PostgreSQL the dialect runs both on libpq's pipeline instead, through psycopg's own
conversions (:meth:`~wfengine.runtime.sql.dialects.Dialect.fetch` and ``batched``,
:mod:`~wfengine.runtime.sql.pipeline`), unless listeners or ``echo`` watch the statements.

Only statements built once belong here: each is kept, with its compiled form, for as long as
the store lives.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any, NamedTuple, Protocol, cast

import sqlalchemy as sa
from sqlalchemy.engine import Dialect as SaDialect

from wfengine.runtime.sql.schema import UtcDateTime

_Process = Callable[[Any], Any] | None


class CompiledRead:
    """One SELECT in the driver's form: its SQL, its parameters in order and how each
    becomes the driver's, its columns' keys and (once known) how each value becomes
    Python's."""

    __slots__ = ("binds", "columns", "defaults", "keys", "names", "processors", "sql")

    def __init__(self, statement: sa.Select[Any], dialect: SaDialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql: str = compiled.string
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ())
        #: values the statement carries itself (a LIMIT's), by name
        self.defaults: dict[str, Any] = {
            name: bind.value
            for name, bind in compiled.binds.items()
            if not bind.required and bind.callable is None
        }
        self.binds: tuple[_Process, ...] = tuple(
            compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in self.names
        )
        selected = statement.selected_columns
        self.keys: tuple[str, ...] = tuple(selected.keys())
        self.columns: tuple[sa.types.TypeEngine[Any], ...] = tuple(c.type for c in selected)
        self.processors: tuple[_Process, ...] | None = None

    def arguments(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        """``params`` (by name) in the statement's order, in the driver's form."""
        defaults = self.defaults
        values = [params[n] if n in params else defaults[n] for n in self.names]
        return tuple(_through(self.binds, values))

    def result_processors(
        self, dialect: SaDialect, type_codes: Sequence[Any]
    ) -> tuple[_Process, ...]:
        """How each column's value becomes Python's, by its type and the driver's column
        type (SQLAlchemy's own processors), worked out on the first run."""
        known = self.processors
        if known is None:
            known = self.processors = tuple(
                direct(kind, dialect, kind.dialect_impl(dialect).result_processor(dialect, code))
                for kind, code in zip(self.columns, type_codes, strict=True)
            )
        return known


def direct(kind: sa.types.TypeEngine[Any], dialect: SaDialect, made: _Process) -> _Process:
    """``made``, SQLAlchemy's processor of a ``kind`` column, or on SQLite for the two kinds
    a command reads most (``UtcDateTime``, ``JSON``) one that does what it does in one call
    for the values the store writes, and hands any other value to ``made``.

    Why: SQLAlchemy's are layers of calls (a JSON value went through four Python functions
    to ``json``'s C scanner, a time through the TypeDecorator's two after its C parser):
    most of a read's processing, and a command reads about five such values."""
    if made is None or dialect.name != "sqlite":
        return made
    if isinstance(kind, UtcDateTime):
        return partial(_utc_time, made)
    if type(kind) is sa.JSON and getattr(dialect, "_json_deserializer", True) is None:
        return partial(_json_value, made)
    return made


def _utc_time(made: Callable[[Any], Any], value: Any) -> Any:
    """SQLite's text of a ``UtcDateTime`` as SQLAlchemy's processor reads it (its DATETIME
    parser is ``datetime.fromisoformat``; the type makes the time aware, in UTC)."""
    if type(value) is not str:
        return made(value)
    try:
        found = _from_iso(value)
    except ValueError:
        return made(value)  # (which raises its own error for it)
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


_from_iso = datetime.fromisoformat
#: ``json.loads``' own scanner (its default decoder's): one value from a position
_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _json_value(made: Callable[[Any], Any], value: Any) -> Any:
    """A JSON column's text as ``json.loads`` reads it: one value from its first character to
    its last (the text the store writes); anything else (spaces around it, a number the
    column holds, text that is no JSON) is read by SQLAlchemy's own processor."""
    if type(value) is str:
        try:
            found, end = _scan(value, 0)
        except (StopIteration, ValueError):
            return made(value)
        if end == len(value):
            return found
    return made(value)


class Run(Protocol):
    """Runs a statement in the driver's form (``args``: one tuple, or with ``many`` a list of
    them), returning what :meth:`~wfengine.runtime.sql.dialects.Dialect.changed` reads the
    rows it changed from: :func:`execute` on a connection, or a PostgreSQL batch
    (:meth:`~wfengine.runtime.sql.dialects.Dialect.batched`)."""

    def __call__(self, sql: str, args: Any, *, many: bool = False) -> Any: ...


def on_cursor(conn: sa.Connection) -> Run:
    """:func:`execute` on ``conn``, as a :class:`Run`."""
    return partial(execute, conn)


def batch_on_cursor(conn: sa.Connection) -> Run:
    """:func:`on_cursor` for the statements of one block (a commit's), with what
    :func:`execute` asks of ``conn`` per statement asked once: its driver connection, and
    whether listeners or the engine's log watch its statements (then each goes through
    :func:`execute`, as before). Why: a commit runs about eight statements, and the asking
    was a third of each one's own time. Each statement still gets a cursor of its own: the
    commit reads a checked statement's row count after the block."""
    if listened(conn) or conn.engine.echo:
        return on_cursor(conn)
    raw: Any = conn.connection.dbapi_connection
    error = conn.dialect.loaded_dbapi.Error

    def run(sql: str, args: Any, *, many: bool = False) -> Any:
        cursor = raw.cursor()
        try:
            if many:
                cursor.executemany(sql, args)
            else:
                cursor.execute(sql, args)
        except error as exc:
            raise driver_error(conn, exc, sql, args, raw=raw) from exc
        return cursor

    return run


def listened(conn: sa.Connection) -> bool:
    """Whether cursor-event listeners watch ``conn``'s statements: SQLAlchemy's own test
    before it dispatches (walking the empty listener collections cost more than a percent of
    a command); an attribute it might rename counts as "yes"."""
    return bool(getattr(conn, "_has_events", True) or getattr(conn.engine, "_has_events", True))


def execute(conn: sa.Connection, sql: str, args: Any, *, many: bool = False) -> Any:
    """Run ``sql`` with ``args`` (one tuple, or with ``many`` a list of them, in the
    driver's form) on a new cursor of ``conn``'s driver connection, as SQLAlchemy would (see
    the module notes); returns the cursor (its rows, its row count)."""
    raw: Any = conn.connection.dbapi_connection
    cursor = raw.cursor()
    engine = conn.engine
    events = listened(conn)
    if events:
        for before in conn.dispatch.before_cursor_execute:
            sql, args = before(conn, cursor, sql, args, None, many)
    if engine.echo:  # as SQLAlchemy logs the statements it runs
        engine.logger.info("%s %r", sql, args)
    try:
        if many:
            cursor.executemany(sql, args)
        else:
            cursor.execute(sql, args)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise driver_error(conn, exc, sql, args, raw=raw) from exc
    if events:
        for after in conn.dispatch.after_cursor_execute:
            after(conn, cursor, sql, args, None, many)
    return cursor


class Fetch(Protocol):
    """Runs a SELECT in the driver's form; returns its rows (sequences of the driver's values)
    and each column's driver type code."""

    def __call__(
        self, conn: sa.Connection, sql: str, args: Any
    ) -> tuple[Sequence[Sequence[Any]], Sequence[Any]]: ...


def fetch(conn: sa.Connection, sql: str, args: Any) -> tuple[Sequence[Sequence[Any]], list[Any]]:
    """A :class:`Fetch` on the driver's cursor (:func:`execute`)."""
    cursor = execute(conn, sql, args)
    try:
        found: Sequence[Sequence[Any]] = cursor.fetchall()
        codes = [column[1] for column in cursor.description]
    except conn.dialect.loaded_dbapi.Error as exc:
        raise driver_error(conn, exc, sql, args) from exc
    finally:
        cursor.close()
    return found, codes


class DriverReads:
    """Runs built-once SELECTs on the driver's cursor (see the module notes)."""

    def __init__(self, positional: SaDialect, sa_dialect: SaDialect, fetch: Fetch = fetch) -> None:
        """``positional``: the engine's ``sa_dialect``, or one like it whose parameters are
        positional (:meth:`~wfengine.runtime.sql.dialects.Dialect.positional`); ``fetch``:
        how a read runs (:meth:`~wfengine.runtime.sql.dialects.Dialect.fetch`)."""
        self._sa_dialect = sa_dialect
        self._positional = positional
        self._fetch = fetch
        #: statement id -> (statement, its compiled form); the statement is kept so that its
        #: id stays its own
        self._cache: dict[int, tuple[sa.Select[Any], CompiledRead]] = {}

    def compiled(self, statement: sa.Select[Any]) -> CompiledRead:
        found = self._cache.get(id(statement))
        if found is not None:
            return found[1]
        made = CompiledRead(statement, self._positional)
        self._cache[id(statement)] = (statement, made)
        return made

    def rows(
        self, conn: sa.Connection, statement: sa.Select[Any], params: Mapping[str, Any]
    ) -> list[dict[str, Any]]:
        """The rows ``statement`` reads with ``params``, each a dict keyed like SQLAlchemy's
        row mappings."""
        read = self.compiled(statement)
        found, codes = self._fetch(conn, read.sql, read.arguments(params))
        if not found:
            return []
        keys = read.keys
        processors = read.result_processors(self._sa_dialect, codes)
        return [dict(zip(keys, _through(processors, row), strict=True)) for row in found]


def _through(processors: Sequence[_Process], values: Sequence[Any]) -> list[Any]:
    """Each value through its processor (None values and None processors: as they are)."""
    return [v if p is None or v is None else p(v) for v, p in zip(values, processors, strict=True)]


def driver_error(
    conn: sa.Connection,
    exc: Exception,
    statement: str | None = None,
    params: Any = None,
    *,
    raw: Any = None,
) -> sa.exc.StatementError:
    """The SQLAlchemy error for ``exc``, an error the driver raised on ``conn`` (its driver
    connection ``raw``, when the caller has it) outside SQLAlchemy's execute (a PostgreSQL
    pipeline's end, a statement run on the driver's cursor), as SQLAlchemy would have raised
    it: its class by the driver's (an ``OperationalError`` stays one, so the retry policy
    knows it), the connection invalidated when the error says it is gone."""
    dialect = conn.dialect
    base = dialect.loaded_dbapi.Error
    if raw is None:
        raw = conn.connection.dbapi_connection
    gone = dialect.is_disconnect(cast(Any, exc), raw, None)
    if gone:
        conn.invalidate(exc)
    return sa.exc.DBAPIError.instance(
        statement,
        params,
        exc,
        base,
        hide_parameters=conn.engine.hide_parameters,
        connection_invalidated=gone,
        dialect=dialect,
    )


class _Outcome(threading.local):
    """Per thread: what is known of the COMMIT of the transaction attempt running on it, as
    what sent it said (:func:`note_committed`, :func:`note_commit_sent`,
    :func:`note_not_committed`), and how to find out whether it committed when its answer
    never came (:func:`note_xid`, :func:`note_check`)."""

    committed = False
    sent = False
    settled = False
    check: Callable[[sa.Connection], bool] | None = None
    xid: tuple[int, int] | None = None


_OUTCOME = _Outcome()


class Said(NamedTuple):
    """What was said of a transaction attempt (:func:`attempt_outcome`)."""

    #: its COMMIT was answered: it committed (:func:`note_committed`)
    committed: bool
    #: its COMMIT was sent (:func:`note_commit_sent`)
    sent: bool
    #: whatever its COMMIT did, nothing of it can be stored (:func:`note_not_committed`)
    settled: bool
    #: how to find out whether it is stored (:func:`note_check`)
    check: Callable[[sa.Connection], bool] | None
    #: the server's id of the transaction and of the process that ran it (:func:`note_xid`)
    xid: tuple[int, int] | None


def note_committed() -> None:
    """Say that this thread's transaction was committed: the server answered its COMMIT. A
    failure the transaction's attempt meets after this (the connection ended right after the
    answer) is no failure of the transaction, which is not run again
    (:meth:`~wfengine.runtime.sql.database.Database.write`). Said by what sends a
    transaction's COMMIT and sees its answer: a PostgreSQL batch
    (:mod:`~wfengine.runtime.sql.pipeline`), :func:`commit`."""
    _OUTCOME.committed = True


def note_commit_sent() -> None:
    """Say that this thread's transaction's COMMIT is on its way to the server (queued in a
    PostgreSQL batch, :func:`commit`): a failure from here on, before its answer, leaves
    unknown whether it committed. (A COMMIT sent by SQLAlchemy's own commit, at the end of
    the transaction's block, needs no note: a failure there is known to be one.)"""
    _OUTCOME.sent = True


def note_not_committed() -> None:
    """Say that nothing of this thread's transaction can be stored, whatever a failure after
    this says: its COMMIT was answered and refused or skipped (a statement before it
    failed), or the transaction changed nothing (it had no transaction id to commit)."""
    _OUTCOME.settled = True


def note_xid(xid: int, pid: int) -> None:
    """Say the server's id of this thread's transaction (PostgreSQL's 64-bit transaction id,
    read inside the transaction before its COMMIT was sent) and the server process running
    it: should the COMMIT's answer never come, the server is asked what became of that id
    (committed, aborted, still in progress) before the transaction is tried again
    (:meth:`~wfengine.runtime.sql.database.Database.write`)."""
    _OUTCOME.xid = (xid, pid)


def note_check(check: Callable[[sa.Connection], bool]) -> None:
    """Say how to find out whether this thread's transaction committed, should its COMMIT's
    answer never come and the server not say what became of its id (:func:`note_xid`):
    ``check(conn)``, run on another connection before the transaction is tried again, is
    True when the rows only this transaction writes are stored (said by
    :meth:`~wfengine.runtime.sql.commit.StepWriter.write`; a transaction saying neither is
    tried again without knowing, :mod:`~wfengine.runtime.sql.retry`)."""
    _OUTCOME.check = check


def attempt_began() -> None:
    """Forget what was said of this thread's previous transaction attempt."""
    outcome = _OUTCOME
    outcome.committed = outcome.sent = outcome.settled = False
    outcome.check = None
    outcome.xid = None


def attempt_outcome() -> Said:
    """What was said on this thread since :func:`attempt_began`."""
    o = _OUTCOME
    return Said(o.committed, o.sent, o.settled, o.check, o.xid)


def commit(raw: Any) -> None:
    """COMMIT the transaction open on ``raw``, a driver connection that began it with a
    statement of its own (a watched PostgreSQL batch's BEGIN, the connection in autocommit
    mode), on its own and waiting for the answer, which is noted (:func:`note_committed`).

    On its own: sent at the end of a psycopg pipeline, its answer is lost with the pipeline's
    when the server ends the connection before the pipeline's sync is answered, and the
    committed transaction would be run again. A failure while it waits is raised (the
    caller turns it into SQLAlchemy's, :func:`driver_error`): whether it committed is then
    unknown (:func:`note_commit_sent`; see :mod:`~wfengine.runtime.sql.retry`)."""
    cursor = raw.cursor()
    note_commit_sent()
    try:
        cursor.execute("COMMIT")
    finally:
        cursor.close()
    note_committed()
