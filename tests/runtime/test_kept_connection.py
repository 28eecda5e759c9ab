"""The SQL store keeps the connection a command or a read gave back for the same thread's next
one (``Database.take``/``give_back``): commands and the queries between them take no
connection out of SQLAlchemy's pool, yet every read still sees what other engines committed
meanwhile, another thread never gets the kept connection, a connection that failed is not
kept, and closing the engine closes it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.runtime.conftest import store_url
from wfengine import Engine, PackageBuilder
from wfengine.runtime.sql.store import SqlStore


def _desk() -> Any:
    pb = PackageBuilder("pkg")
    p = pb.process("desk")
    p.activity("answer", performer="clerk").activity("check", performer="clerk")
    p.transition("answer", "check")
    return pb.build()


def _pool_events(engine: Engine) -> dict[str, int]:
    """Counts of the pool's checkouts, connections made and DBAPI connections closed."""
    store = engine.store
    assert isinstance(store, SqlStore)
    counts = {"checkout": 0, "connect": 0, "close": 0}

    def count(name: str) -> Any:
        def seen(*_: Any) -> None:
            counts[name] += 1

        return seen

    for name in counts:
        sa.event.listen(store.sa_engine, name, count(name))
    return counts


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_commands_and_reads_take_no_connection_from_the_pool(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = store_url(request, kind, tmp_path)
    with Engine(db_url=url) as engine:
        engine.deploy(_desk())
        engine.start_process("desk")  # warm: the first connection is made and kept
        counts = _pool_events(engine)
        for _ in range(5):
            iid = engine.start_process("desk")
            while items := engine.work_items(iid):
                engine.complete_work_item(items[0].id)
            assert engine.instance(iid).state.value == "closed.completed"
        assert counts["checkout"] == 0
        assert counts["connect"] == 0


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_kept_connection_reads_what_another_engine_committed_since(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = store_url(request, kind, tmp_path)
    with Engine(db_url=url) as mine, Engine(db_url=url) as theirs:
        mine.deploy(_desk())
        iid = mine.start_process("desk")
        (item,) = mine.work_items(iid)  # read on the connection mine keeps
        assert item.activity_id == "answer"
        theirs.complete_work_item(item.id)
        (after,) = mine.work_items(iid)
        assert after.activity_id == "check"
        theirs_iid = theirs.start_process("desk")
        assert theirs_iid in {s.id for s in mine.instance_summaries()}
        mine.complete_work_item(after.id)
        assert theirs.instance(iid).state.value == "closed.completed"


def test_another_thread_never_gets_the_kept_connection(tmp_path: Path) -> None:
    with Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}") as engine:
        engine.deploy(_desk())
        iid = engine.start_process("desk")
        store = engine.store
        assert isinstance(store, SqlStore)
        db = store._db
        mine = db.take()
        db.give_back(mine)
        got: dict[str, Any] = {}

        def other() -> None:
            conn = db.take()
            got["conn"] = conn
            got["items"] = engine.work_items(iid)
            db.give_back(conn)  # this thread's, while the main thread's is kept: pooled

        worker = threading.Thread(target=other)
        worker.start()
        worker.join()
        assert got["conn"] is not mine
        assert [w.activity_id for w in got["items"]] == ["answer"]
        assert got["conn"].closed  # given back to the pool, not kept
        assert db.take() is mine  # the main thread's is still kept for it
        db.give_back(mine)


def test_a_failed_connection_is_not_kept_and_closing_the_engine_closes_the_kept_one(
    tmp_path: Path,
) -> None:
    engine = Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}")
    engine.deploy(_desk())
    iid = engine.start_process("desk")
    counts = _pool_events(engine)
    store = engine.store
    assert isinstance(store, SqlStore)
    kept = store._db.take()
    store._db.give_back(kept)

    def fail(*_: Any) -> None:
        raise RuntimeError("the disk went away")

    sa.event.listen(store.sa_engine, "before_cursor_execute", fail)
    with pytest.raises(RuntimeError, match="went away"):
        engine.work_items(iid)
    sa.event.remove(store.sa_engine, "before_cursor_execute", fail)
    assert kept.closed  # the read that failed gave its connection back to the pool
    assert [w.activity_id for w in engine.work_items(iid)] == ["answer"]  # on a new one
    assert counts["checkout"] == 1
    engine.close()
    assert counts["close"] == counts["connect"] + 1  # the warm one and the new one: closed
