"""A transaction whose COMMIT was answered is never run again, whichever way it was written
(a command's batched commit, a plain write, statements watched or not): a connection that
ends right after the answer does not make the store try it a second time. One whose answer
never came is looked for before it is tried again, as ``wfengine.runtime.sql.retry`` says
(PostgreSQL's connection cut at its COMMIT: ``test_commit_unanswered.py``; one whose COMMIT
still runs: ``test_pg_commit_running.py``)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.errors import StoreUnavailableError
from wfengine.runtime.sql.commit import StepWriter
from wfengine.runtime.sql.connect import create_engine
from wfengine.runtime.sql.dialects import SqliteDialect
from wfengine.runtime.sql.driver import note_committed
from wfengine.runtime.sql.retry import RetryPolicy
from wfengine.runtime.sql.store import SqlStore

FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.001, max_delay=0.002)


def _desk() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.process("desk").activity("answer", performer="clerk")
    return pb


class _EndAfterCommit:
    """The next write transaction on SQLite commits, then its connection fails as a dropped
    one: after the COMMIT's answer was seen (``answered``: said as what sent the COMMIT says
    it, :func:`~wfengine.runtime.sql.driver.note_committed`), or with the answer lost."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, answered: bool, batched: bool) -> None:
        self.armed = False
        self.fired = 0
        self._answered = answered
        self._batched = batched
        real = SqliteDialect.transaction
        fault = self

        @contextmanager
        def transaction(
            dialect: SqliteDialect,
            conn: sa.Connection,
            *,
            batched: bool = False,
            write: bool = True,
        ) -> Iterator[None]:
            with real(dialect, conn, batched=batched, write=write):
                yield
            if fault.armed and write and batched is fault._batched:
                fault._fail(conn)

        monkeypatch.setattr(SqliteDialect, "transaction", transaction)

    def _fail(self, conn: sa.Connection) -> None:
        self.armed = False
        self.fired += 1
        if self._answered:
            note_committed()
        conn.invalidate()
        raise sa.exc.OperationalError(
            "COMMIT",
            {},
            ConnectionError("server closed the connection unexpectedly"),
            connection_invalidated=True,
        )


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with Engine(store=SqlStore(f"sqlite:///{tmp_path / 'wf.db'}", retry=FAST_RETRY)) as e:
        e.deploy(_desk().build())
        yield e


def _store(engine: Engine) -> SqlStore:
    assert isinstance(engine.store, SqlStore)
    return engine.store


def test_a_plain_write_whose_commit_was_answered_is_not_run_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(engine)
    with store.sa_engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE ledger (n INTEGER)")
    runs: list[int] = []

    def add(conn: sa.Connection) -> str:
        runs.append(1)
        conn.exec_driver_sql("INSERT INTO ledger VALUES (1)")
        return "added"

    fault = _EndAfterCommit(monkeypatch, answered=True, batched=False)
    fault.armed = True
    assert store.transaction(add, write=True) == "added"
    assert fault.fired == 1
    assert len(runs) == 1
    with store.sa_engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM ledger").scalar_one() == 1


def test_a_command_whose_commit_was_answered_is_not_run_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    fault = _EndAfterCommit(monkeypatch, answered=True, batched=True)
    fault.armed = True
    iid = engine.start_process("desk")
    assert fault.fired == 1
    assert [s.id for s in engine.instance_summaries()] == [iid]
    (item,) = engine.work_items(iid)  # the engine carries on, on a new connection
    engine.complete_work_item(item.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_command_whose_commit_answer_never_came_is_found_stored_and_not_run_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outcome is unknown: before trying again the store looks for a row only that commit
    wrote, finds it, and the command succeeds as if the answer had come: the start is not
    run again (no second instance), the completion not refused as completed already."""
    fault = _EndAfterCommit(monkeypatch, answered=False, batched=True)
    fault.armed = True
    iid = engine.start_process("desk")
    assert fault.fired == 1
    assert [s.id for s in engine.instance_summaries()] == [iid]
    (item,) = engine.work_items(iid)
    fault.armed = True
    engine.complete_work_item(item.id)
    assert fault.fired == 2
    assert engine.instance(iid).state is ProcessState.COMPLETED
    completed = [a for a in engine.audit(iid) if a.kind == "work_item.completed"]
    assert len(completed) == 1


def test_a_retry_that_meets_the_rows_of_the_unanswered_commit_finds_it_stored(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check read before the retry did not see the commit yet (its server was still
    committing it); the retry then meets its rows as a lost race (the new instance stored
    already, the row version moved on), and the store checks again before reporting one."""
    real = StepWriter.landed
    asked: list[bool] = []

    def late(writer: StepWriter, conn: sa.Connection, plan: Any) -> bool:
        asked.append(real(writer, conn, plan))
        return len(asked) > 1 and asked[-1]

    monkeypatch.setattr(StepWriter, "landed", late)
    fault = _EndAfterCommit(monkeypatch, answered=False, batched=True)
    fault.armed = True
    iid = engine.start_process("desk")
    assert asked == [True, True]
    assert [s.id for s in engine.instance_summaries()] == [iid]
    (item,) = engine.work_items(iid)
    asked.clear()
    fault.armed = True
    engine.complete_work_item(item.id)
    assert asked == [True, True]
    completed = [a for a in engine.audit(iid) if a.kind == "work_item.completed"]
    assert len(completed) == 1


class _FailAt:
    """Every write transaction of a command fails as a dropped connection, rolled back:
    at its BEGIN (``commit=False``: known not to have committed), or at its COMMIT, whose
    answer never comes (``commit=True``: for all the store knows, it may have committed)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, commit: bool) -> None:
        real = SqliteDialect.transaction

        @contextmanager
        def transaction(
            dialect: SqliteDialect,
            conn: sa.Connection,
            *,
            batched: bool = False,
            write: bool = True,
        ) -> Iterator[None]:
            if not (write and batched):
                with real(dialect, conn, batched=batched, write=write):
                    yield
                return
            with real(dialect, conn, batched=batched, write=write):
                if commit:
                    yield
                conn.invalidate()
                raise sa.exc.OperationalError(
                    "COMMIT" if commit else "BEGIN",
                    {},
                    ConnectionError("server closed the connection unexpectedly"),
                    connection_invalidated=True,
                )

        monkeypatch.setattr(SqliteDialect, "transaction", transaction)


@pytest.mark.parametrize(
    ("commit", "said"),
    [
        (False, "each attempt was rolled back, stored data is unchanged"),
        (
            True,
            "the COMMIT of an attempt was sent and its answer never came, so whether it "
            "was stored is unknown",
        ),
    ],
)
def test_when_the_attempts_run_out_the_error_says_what_is_known_of_what_is_stored(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, commit: bool, said: str
) -> None:
    _FailAt(monkeypatch, commit=commit)
    with pytest.raises(StoreUnavailableError, match=re.escape(said)):
        engine.start_process("desk")
    monkeypatch.undo()
    assert engine.instance_summaries() == []


# --------------------------------------------------------------------------- PostgreSQL


class _EndWhenCommitted:
    """The server ends the connection of the next command's transaction as soon as it has run
    its COMMIT, before the client reads the answers (an administrator's
    ``pg_terminate_backend`` or a fast shutdown in that moment): each time psycopg waits on
    one of the engine's connections, what it sent is flushed, and once the server has run it
    (its backend waits for the client again) the connection is ended if ``committed()``
    says the transaction's rows are there."""

    def __init__(
        self, monkeypatch: pytest.MonkeyPatch, url: str, committed: Callable[[Any], bool]
    ) -> None:
        import psycopg

        self.armed = False
        self.fired = 0
        self._admin = create_engine(url).connect()
        self._committed = committed
        admin_pid = self._admin.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        self._admin.commit()
        real = psycopg.Connection.wait
        fault = self

        def wait(conn: Any, gen: Any, *args: Any, **kw: Any) -> Any:
            if fault.armed and conn.pgconn.backend_pid != admin_pid:
                gen = fault._paused(conn.pgconn, gen)
            return real(conn, gen, *args, **kw)

        monkeypatch.setattr(psycopg.Connection, "wait", wait)

    def close(self) -> None:
        self._admin.close()
        self._admin.engine.dispose()

    def _paused(self, pg: Any, gen: Generator[Any, Any, Any]) -> Generator[Any, Any, Any]:
        try:
            state = next(gen)  # psycopg has sent what it sends
        except StopIteration as done:
            return done.value
        if self.armed:
            self._end_if_committed(pg)
        while True:
            ready = yield state
            try:
                state = gen.send(ready)
            except StopIteration as done:
                return done.value

    def _end_if_committed(self, pg: Any) -> None:
        while pg.flush():
            pass
        admin, pid = self._admin, pg.backend_pid
        waiting = 0
        for _ in range(500):
            if self._committed(admin):
                admin.exec_driver_sql(f"SELECT pg_terminate_backend({pid}, 5000)")
                admin.commit()
                self.armed = False
                self.fired += 1
                return
            event = admin.exec_driver_sql(
                f"SELECT wait_event FROM pg_stat_activity WHERE pid = {pid}"
            ).scalar()
            admin.commit()
            waiting = waiting + 1 if event == "ClientRead" else 0
            if waiting >= 3:  # the server ran all it got, and it did not commit
                return
            time.sleep(0.005)


def _instances(admin: Any) -> bool:
    found = admin.exec_driver_sql("SELECT count(*) FROM process_instances").scalar_one()
    admin.commit()
    return bool(found)


def test_a_watched_commit_whose_connection_ended_after_the_commit_keeps_it_once(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A host that logs every statement (a cursor-event listener) sends the commit through
    psycopg's cursors: a COMMIT the server ran before it ended the connection is not run a
    second time (running the start again would store a second instance)."""
    store = SqlStore(pg_url, retry=FAST_RETRY)
    seen: list[str] = []
    sa.event.listen(store.sa_engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    with Engine(store=store) as e:
        e.deploy(_desk().build())
        fault = _EndWhenCommitted(monkeypatch, pg_url, _instances)
        try:
            fault.armed = True
            iid = e.start_process("desk")
            assert fault.fired == 1
        finally:
            fault.close()
        assert [s.id for s in e.instance_summaries()] == [iid]
        (item,) = e.work_items(iid)  # the engine carries on, on a new connection
        e.complete_work_item(item.id)
        assert e.instance(iid).state is ProcessState.COMPLETED
    assert any(s.startswith("INSERT INTO process_instances") for s in seen)
