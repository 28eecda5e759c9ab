"""A transaction whose COMMIT was answered is never run again, whichever way it was written
(a command's batched commit, a plain write): a connection that
ends right after the answer does not make the store try it a second time. One whose answer
never came is tried again, as ``wfengine.runtime.sql.retry`` says."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.errors import IllegalStateError
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


def test_a_commit_whose_answer_never_came_is_tried_again_and_refused_as_a_lost_race(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outcome is unknown: the retry meets the version the lost commit wrote, and the
    command run again on fresh state finds the work item completed already."""
    iid = engine.start_process("desk")
    (item,) = engine.work_items(iid)
    fault = _EndAfterCommit(monkeypatch, answered=False, batched=True)
    fault.armed = True
    with pytest.raises(IllegalStateError, match="it is completed"):
        engine.complete_work_item(item.id)
    assert fault.fired == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED
    completed = [a for a in engine.audit(iid) if a.kind == "work_item.completed"]
    assert len(completed) == 1
