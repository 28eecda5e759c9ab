"""PostgreSQL statements sent on libpq's pipeline by wfengine itself: a commit's batch, and
the reads every command makes.

Why: a command's commit is one batch of a dozen or more statements (the instance row, the
audit events, the activity mirrors, work items, offers, outbox entries) sent in one round
trip. Through psycopg's cursors in its pipeline mode each statement cost about 20 us of the
client's CPU (a cursor, the query's conversion, the prepared-statement bookkeeping, a result
fetch per statement); on one PostgreSQL worker the client's CPU, not the server, was what
bounded the commands per second. Here the batch goes to psycopg's own libpq wrapper
(``psycopg.pq``, the C implementation in ``psycopg[binary]``) directly: about a quarter of
the CPU for the same batch, measured on the same server. A read (one SELECT in autocommit) is
a batch of one statement, its rows loaded by psycopg's loaders.

What stays psycopg's, so the server sees what a cursor would have sent and an error is the
one psycopg would have raised:

* each value is converted by psycopg's own text dumpers (:class:`psycopg.adapt.Transformer`),
  the server working out the types from the statement, as it does for psycopg's text
  parameters (an aware time by its binary dumper, :mod:`~wfengine.runtime.sql.parameters`);
  each value read by psycopg's loader for its column type (the same
  Transformer, whose loaders include those SQLAlchemy registered on the connection);
* a failed statement's error is psycopg's exception for its SQLSTATE
  (:func:`psycopg.errors.error_from_result`), and a connection that fails while the batch is
  sent or answered raises psycopg's ``OperationalError``; the caller turns either into
  SQLAlchemy's (:func:`~wfengine.runtime.sql.driver.driver_error`);
* each statement is prepared once per connection and kept there by name, as psycopg does for a
  statement it runs often (the names differ from psycopg's own); a connection whose
  ``prepare_threshold`` is None (psycopg's switch for a pooler such as PgBouncer in transaction
  mode, where the next transaction may run on another server connection, which does not know
  the name) prepares nothing: each statement goes unnamed with its parameters, as psycopg's
  cursor would send it then.

The batch is written as libpq's pipeline wants it: every statement queued without waiting, the
connection in its non-blocking mode (psycopg's default; libpq reads what the server answers
while it cannot write, so a batch of any size cannot stall with both ends writing), then one
sync whose answer ends the batch; the results are read as they come, and after a failed
statement the server skips the rest (their row counts stay -1). What is queued goes out with
the sync (libpq sends on its own once 64 kB have piled up): one write to the socket and one
wake-up of the server per batch; a flush per statement cost both ends a system call and the
server a wake-up each (W4: client and server CPU per command about 4% each). A connection the
server ends (an administrator's ``pg_terminate_backend``, a fast shutdown) after it answered
every statement, the COMMIT included, sends its FATAL error instead of the sync's answer (or
libpq finds the connection closed with those answers already received): the batch's answers
stand, the connection is closed, and a committed transaction is noted
(:func:`~wfengine.runtime.sql.driver.note_committed`) so that the failure its end then gives is
not taken for a failed transaction and retried (which would run it twice). When the connection
fails before every answer came, psycopg's ``OperationalError`` is raised: a disconnect, which
the retry policy handles (once the COMMIT was queued, whether it committed is unknown, and the
store finds out before it tries again: :mod:`~wfengine.runtime.sql.retry`). For that, a batch
that commits reads its transaction's id (:meth:`Batch.send_xid`, after the BEGIN, with a flush
request so that the server sends that answer at once rather than with the last): when its
answer came before the failure it is noted (:func:`~wfengine.runtime.sql.driver.note_xid`), and
the store asks the server what became of the id. (Measured on the test server, interleaved
rounds, on a machine busy with other work: W4's commands per second unchanged, the client's and
the server's CPU per command within the rounds' noise of about 7%; batches of 12 inserts alone:
about 20 us more of the server's CPU and 20-40 us more of the client's per batch, 1-3% of a
command's.) When psycopg has dropped the connection's prepared statements (it deallocates them
all when it rolls a transaction back) the batch is sent once more (:meth:`Batch.finish`).
Statements someone watches (an engine with cursor-event listeners or ``echo``) go the cursor's
way instead (:meth:`~wfengine.runtime.sql.dialects.PostgresDialect.batched` and ``fetch``).

Measured (W4 on one PostgreSQL worker, the throwaway server of the tests, interleaved rounds):
the commit's batch here: client CPU per command 1,242 -> 998 us, commands per second x1.06;
the reads too: x1.06 more. The wait for the server's answers is most of what is left.
"""

from __future__ import annotations

import itertools
import select
from collections import deque
from collections.abc import Sequence
from typing import Any

from psycopg import OperationalError, pq
from psycopg.adapt import PyFormat, Transformer
from psycopg.errors import error_from_result

from wfengine.runtime.sql.driver import (
    note_commit_sent,
    note_committed,
    note_not_committed,
    note_xid,
)
from wfengine.runtime.sql.insert_rows import grouped, pieces, rows_refused
from wfengine.runtime.sql.parameters import formats, numbered
from wfengine.runtime.sql.server_gone import ended_already

_COMMAND_OK = pq.ExecStatus.COMMAND_OK
_TUPLES_OK = pq.ExecStatus.TUPLES_OK
_FATAL_ERROR = pq.ExecStatus.FATAL_ERROR
_PIPELINE_SYNC = pq.ExecStatus.PIPELINE_SYNC
_IDLE = pq.TransactionStatus.IDLE
#: libpq can ask the server to send what it has answered so far (14 and later)
_FLUSH_REQUEST = pq.version() >= 140000
#: SQLSTATE invalid_sql_statement_name: a prepared statement the server does not know
_NO_SUCH_STATEMENT = "26000"

#: SQL in psycopg's format style -> the same with numbered parameters
_NUMBERED: dict[str, bytes] = {}
#: prepared statements' names: new ones never meet one a connection of this process has
_NAMES = itertools.count(1)
#: the key of a connection's :class:`_Connection` in SQLAlchemy's per-connection ``info``
INFO_KEY = "wfengine.pipeline"


class Sent:
    """A statement of the batch: how many rows it changed (its result's row count) and the
    rows it read once the batch has ended; -1 when its answer never came (an earlier
    statement failed)."""

    __slots__ = ("params", "result", "rowcount", "rows", "sql")

    def __init__(self, sql: str, params: Any) -> None:
        self.sql = sql
        self.params = params
        self.rowcount = -1
        self.result: Any = None
        #: a statement of several rows (:meth:`Batch.__call__`): the SQL of one and the rows
        self.rows: tuple[str, Sequence[Any]] | None = None


class _Connection:
    """What a driver connection keeps between batches: the statements prepared on it (SQL ->
    name), and psycopg's converter of values (with the dumpers it has looked up)."""

    __slots__ = ("names", "transformer")

    def __init__(self, raw: Any) -> None:
        self.names: dict[str, bytes] = {}
        self.transformer = Transformer(raw)


class _Prepare:
    """A PREPARE queued: if the server does not run it, its name is forgotten."""

    __slots__ = ("name", "sql")

    def __init__(self, sql: str, name: bytes) -> None:
        self.sql = sql
        self.name = name


class Batch:
    """Statements queued on ``raw``'s libpq connection (a psycopg connection, outside psycopg's
    own pipeline and not in the middle of a query), sent without waiting; :meth:`finish`
    syncs and reads every answer. ``info``: SQLAlchemy's dict for the connection, where what
    it has prepared is kept."""

    def __init__(self, raw: Any, info: dict[Any, Any]) -> None:
        state = info.get(INFO_KEY)
        if state is None:
            state = info[INFO_KEY] = _Connection(raw)
        self._state: _Connection = state
        self._raw = raw
        self._pg: Any = raw.pgconn
        self._encoding: str = raw.info.encoding
        self._dump = state.transformer.dump_sequence
        #: psycopg's switch: None when the connection must not prepare statements
        self._prepares = raw.prepare_threshold is not None
        #: per queued request, in order: the statement whose result it is, a PREPARE, or
        #: None (a BEGIN, a COMMIT or a ROLLBACK)
        self._queue: deque[Sent | _Prepare | None] = deque()
        #: every statement queued, in order (sent again when the server lost what was
        #: prepared, see :meth:`finish`)
        self._sent: list[Sent] = []
        self._began = self._commits = False
        #: the SELECT of the transaction's id (:meth:`send_xid`)
        self._xid: Sent | None = None
        #: no transaction was open before the batch: a failed batch kept nothing
        self._fresh = self._pg.transaction_status == _IDLE
        #: the first statement the server refused, and psycopg's error for it
        self.failed: tuple[Exception, Sent] | None = None
        #: why the connection ended after every statement was answered (it is closed)
        self.ended: Exception | None = None
        self._pg.enter_pipeline_mode()

    def send_begin(self) -> None:
        """Queue a BEGIN (first)."""
        self._began = True
        self._command(b"BEGIN", named=True)

    def send_xid(self, sql: str) -> None:
        """Queue ``sql``, a SELECT of the transaction's id (:mod:`~wfengine.runtime.sql.
        driver`'s :func:`~wfengine.runtime.sql.driver.note_xid`), and a flush request: the
        server sends its answer at once instead of with the batch's last, so that it is
        here, most likely, before the COMMIT that follows runs (one answer more to read,
        no round trip; the request goes out with the batch, whose statements the server runs
        in order: the answer leaves before the COMMIT runs). Prepared once per connection,
        as the BEGIN is, when the batch can be sent again (no transaction was open before
        it: a prepared statement psycopg dropped is then prepared again, :meth:`finish`);
        parsing and planning them per batch cost the server about 10% of a commit's batch.
        Else unnamed, and the COMMIT always (the tests' proxies find it by its text)."""
        sent = self._xid = Sent(sql, ())
        pg = self._pg
        self._pid: int = pg.backend_pid
        if self._fresh and self._prepares:
            pg.send_query_prepared(self._name(sql), None)
        else:
            pg.send_query_params(sql.encode(), None)
        self._queue.append(sent)
        if _FLUSH_REQUEST:  # else the answer comes with the others
            pg.send_flush_request()

    def send_commit(self) -> None:
        """Queue a COMMIT (last; skipped when a statement before it failed), after a server
        that went away is told (:mod:`~wfengine.runtime.sql.server_gone`). From here on a
        failed connection leaves unknown whether it committed (``note_commit_sent``)."""
        self._commits = True
        ended_already(self._pg)
        note_commit_sent()
        self._command(b"COMMIT")

    def _command(self, sql: bytes, *, named: bool = False) -> None:
        pg = self._pg
        if named and self._fresh and self._prepares:
            pg.send_query_prepared(self._name(sql.decode()), None)
        else:
            pg.send_query_params(sql, None)
        self._queue.append(None)

    def _name(self, sql: str) -> bytes:
        """The name ``sql`` is prepared under on this connection (queued now if new)."""
        names = self._state.names
        name = names.get(sql)
        if name is None:
            name = names[sql] = f"wfengine_{next(_NAMES)}".encode()
            self._pg.send_prepare(name, sql.encode())
            self._queue.append(_Prepare(sql, name))  # forgotten if the server skips it
        return name

    def __call__(self, sql: str, args: Any, *, many: bool = False) -> Sent:
        """Queue ``sql`` (psycopg's format style) with ``args`` (one tuple, or with ``many``
        a non-empty list of them); returns the last statement queued.

        Rows of an INSERT go as statements of several rows (``insert_rows.pieces``): the
        server's start, bind, end and answer of a statement, and the client's conversion and
        queueing, were paid per row (W4: six audit events, two activities and two outbox
        entries a command went as ten statements, now four). Only in a batch that can be
        sent again (no transaction was open before it): when such a statement fails for its
        rows, the batch is sent once more one row per statement (:meth:`finish`), so that
        what a failure does and says is what the rows one by one would have done and said
        (the row refused; an upsert's two rows of one key, which one statement may not
        update twice)."""
        if many and len(args) > 1 and self._fresh and (rows := grouped(sql)) is not None:
            chain = itertools.chain.from_iterable
            for start, size in pieces(len(args)):
                part = args[start : start + size]
                sent = Sent(rows(len(part)), tuple(chain(part)))
                sent.rows = (sql, part)
                self._send(sent)
        else:
            for row in args if many else (args,):
                sent = Sent(sql, row)
                self._send(sent)
        return sent

    def _send(self, sent: Sent) -> None:
        pg = self._pg
        sql = sent.sql
        row = sent.params
        names = self._state.names
        name = names.get(sql)
        if name is None:
            text = _NUMBERED.get(sql)
            if text is None:
                text = _NUMBERED[sql] = numbered(sql).encode()
            if self._prepares:
                name = names[sql] = f"wfengine_{next(_NAMES)}".encode()
                pg.send_prepare(name, text)
                self._queue.append(_Prepare(sql, name))  # forgotten if the server skips it
        values, kinds = self._values(sql, row)
        if name is None:  # the unnamed statement, parsed with its parameters
            pg.send_query_params(text, values, param_formats=kinds)
        else:
            pg.send_query_prepared(name, values, param_formats=kinds)
        self._queue.append(sent)
        self._sent.append(sent)

    def _values(self, sql: str, row: Any) -> tuple[Any, Any]:
        """``row``'s values as psycopg dumps them, and their formats (None: all text); times
        in binary where they may be (:mod:`~wfengine.runtime.sql.parameters`)."""
        known = formats(sql, PyFormat.TEXT, PyFormat.BINARY)
        if len(row) != len(known.text):  # (never: the SQL's parameters are the row's)
            return self._dump(row, [PyFormat.TEXT] * len(row)), None
        if not known.binary:
            return self._dump(row, known.text), None
        values = self._dump(row, known.mixed)
        transformer = self._state.transformer
        types = transformer.types
        if types is not None and known.times_only(row, types):
            return values, transformer.formats
        return self._dump(row, known.text), None

    def finish(self) -> None:
        """Sync, then read every answer up to the sync's; leaves the connection out of pipeline
        mode. The first statement the server refused is :attr:`failed` (it skipped the rest).

        When no transaction was open before the batch, nothing of a failed one was kept, and
        it is sent once more (after a ROLLBACK of the transaction it began) when:

        * a statement this connection prepared was gone: psycopg deallocates every prepared
          statement of its connection when it rolls a transaction back, and the server then
          refuses the batch's first use of one. Every statement is prepared again under a
          new name (some of the old ones may still be there);
        * a statement of several rows failed for its rows (:func:`rows_refused`): the batch
          goes again one row per statement, and what fails then is the failure reported.
        """
        self._read_all()
        renamed = split = False
        while self.failed is not None and self.ended is None and self._fresh:
            failed = self.failed[1]
            if not renamed and getattr(self.failed[0], "sqlstate", None) == _NO_SUCH_STATEMENT:
                renamed = True
                self._state.names.clear()
            elif not split and failed.rows is not None and rows_refused(self.failed[0]):
                split = True
            else:
                break
            self._again(split=split)
        if self._commits and self.failed is not None:
            note_not_committed()  # refused, or skipped after a refused statement

    def _again(self, *, split: bool) -> None:
        """Send the batch once more (see :meth:`finish`); ``split``: a statement of several
        rows as one per row."""
        self.failed = None
        sent, self._sent = self._sent, []
        self._pg.enter_pipeline_mode()
        if self._began:
            self._command(b"ROLLBACK")
            self._command(b"BEGIN", named=True)
        if self._xid is not None:  # the new transaction's
            self.send_xid(self._xid.sql)
        for each in sent:
            if split and each.rows is not None:
                sql, part = each.rows
                for row in part:
                    self._send(Sent(sql, row))
                continue
            each.rowcount, each.result = -1, None
            self._send(each)
        if self._commits:
            self._command(b"COMMIT")
        self._read_all()

    def _read_all(self) -> None:
        try:
            self._read()
        except OperationalError:
            self._note_xid()
            raise

    def _note_xid(self) -> None:
        """After the connection failed: the transaction's id, when its answer came (and said
        one: none was assigned to a transaction that changed nothing, whose COMMIT then
        cannot store anything)."""
        sent = self._xid
        if not self._commits or sent is None or sent.result is None:
            return
        value = sent.result.get_value(0, 0)
        if value is None:
            note_not_committed()
        else:
            note_xid(int(value), self._pid)

    def rows(self, sent: Sent) -> tuple[list[tuple[Any, ...]], list[int]]:
        """The rows ``sent`` read (each value by psycopg's loader for its column type, as a
        cursor would give it) and each column's type OID; after :meth:`finish`."""
        result = sent.result
        if result is None:
            return [], []
        transformer = self._state.transformer
        transformer.set_pgresult(result)
        count = result.ntuples
        found = transformer.load_rows(0, count, tuple) if count else []
        return found, [result.ftype(i) for i in range(result.nfields)]

    def _read(self) -> None:
        pg = self._pg
        pg.pipeline_sync()
        queue = self._queue
        poller = _Poller(pg.socket)
        answered = False  # the queue's head has had a result (its end is the next None)
        while True:
            while not pg.is_busy():
                result = pg.get_result()
                if result is None:
                    if not answered:
                        break  # nothing more has come yet
                    queue.popleft()
                    answered = False
                    continue
                status = result.status
                if status == _PIPELINE_SYNC:
                    pg.exit_pipeline_mode()
                    return
                if not queue:  # every statement answered: the server ends the connection
                    self._end(error_from_result(result, encoding=self._encoding))
                    return
                answered = True
                head = queue[0]
                if status == _FATAL_ERROR:
                    self._fail(result, head)
                if isinstance(head, _Prepare):
                    if status != _COMMAND_OK:  # refused, or skipped after a failure
                        self._forget(head)
                elif isinstance(head, Sent):
                    if status == _TUPLES_OK:
                        head.rowcount = result.ntuples
                        head.result = result
                    elif status == _COMMAND_OK:
                        head.rowcount = result.command_tuples or 0
            try:
                poller.wait(write=pg.flush() == 1)
                pg.consume_input()
            except OperationalError as exc:  # what came before the failure may be all
                if not self._drained(answered):
                    raise
                self._end(exc)
                return

    def _take(self, result: Any, head: Sent | _Prepare | None) -> None:
        """The answer ``result`` to ``head``, the queue's first request, as :meth:`_read`
        takes it (written out there: it runs for every statement)."""
        status = result.status
        if status == _FATAL_ERROR:
            self._fail(result, head)
        if isinstance(head, _Prepare):
            if status != _COMMAND_OK:  # refused, or skipped after a failure
                self._forget(head)
        elif isinstance(head, Sent):
            if status == _TUPLES_OK:
                head.rowcount = result.ntuples
                head.result = result
            elif status == _COMMAND_OK:
                head.rowcount = result.command_tuples or 0

    def _drained(self, answered: bool) -> bool:
        """After the connection failed: take the answers libpq had received before; True
        when they answer every statement of the batch. An error result here is the failure
        itself (or a statement's, whose batch then counts as unanswered: it is retried)."""
        pg, queue = self._pg, self._queue
        while queue:
            try:
                result = None if pg.is_busy() else pg.get_result()
            except OperationalError:
                return False
            if result is None:
                if not answered:
                    return False
                queue.popleft()
                answered = False
            elif result.status in (_FATAL_ERROR, _PIPELINE_SYNC):
                return False
            else:
                answered = True
                self._take(result, queue[0])
        return True

    def _end(self, why: Exception) -> None:
        """Every statement was answered, then the connection ended: close it (never used
        again). A COMMIT answered, not refused, committed the transaction: the batch stands.
        A transaction the batch did not end is lost with the connection, and a read is
        simply read again: ``why`` is raised, a disconnect."""
        self.ended = why
        self._raw.close()
        if not self._commits:
            raise why
        if self.failed is None:
            note_committed()

    def _forget(self, prepare: _Prepare) -> None:
        names = self._state.names
        if names.get(prepare.sql) == prepare.name:
            del names[prepare.sql]

    def _fail(self, result: Any, head: Sent | _Prepare | None) -> None:
        if self.failed is None:
            error = error_from_result(result, encoding=self._encoding)
            if isinstance(head, _Prepare):
                head = Sent(head.sql, ())
            self.failed = (error, head if head is not None else Sent("BEGIN/COMMIT", ()))


class _Poller:
    """Waits until the socket can be read (or written, while libpq has bytes to send)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._poll = select.poll() if hasattr(select, "poll") else None

    def wait(self, *, write: bool) -> None:
        fd = self._fd
        if self._poll is None:  # Windows: no poll()
            select.select([fd], [fd] if write else [], [])
            return
        poll = self._poll
        poll.register(fd, select.POLLIN | (select.POLLOUT if write else 0))
        poll.poll()  # a closed or failed socket answers too: reading it then raises
