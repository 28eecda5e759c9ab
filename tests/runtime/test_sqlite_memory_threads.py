"""``Engine(db_url="sqlite://")`` (SQLite in memory) used from a second thread: SQLAlchemy
gave that thread its own connection, and with it a new, empty database, so a read said only
"no such table: process_instances" and a ``Worker(lambda: engine)`` failed the same way. Now
the second thread is refused with a StoreError that says why and what to use instead, and
the engine goes on working in its own thread."""

from __future__ import annotations

import threading
import warnings
from typing import Any

import pytest
from sqlalchemy.pool import SingletonThreadPool

from wfengine import Engine, PackageBuilder
from wfengine.errors import StoreError
from wfengine.runtime.sql.store import SqlStore


def _package() -> Any:
    pb = PackageBuilder("t")
    p = pb.process("p")
    p.start("s").activity("h", performer="clerk").end("e").sequence("s", "h", "e")
    return pb.build()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_a_second_thread_on_an_in_memory_sqlite_engine_is_refused_by_name(url: str) -> None:
    engine = Engine(db_url=url)
    engine.deploy(_package())
    pi = engine.start_process("p")
    out: list[BaseException | list[str]] = []

    def read() -> None:
        try:
            out.append([s.id for s in engine.instance_summaries()])
        except BaseException as exc:
            out.append(exc)

    thread = threading.Thread(target=read, name="dashboard")
    thread.start()
    thread.join(30)

    [got] = out
    assert isinstance(got, StoreError), got
    assert "in-memory SQLite database" in str(got)
    assert "'dashboard'" in str(got) and "sqlite:///wf.db" in str(got)
    assert [s.id for s in engine.instance_summaries()] == [pi]  # its own thread: as before
    engine.close()


def test_a_shared_cache_memory_database_is_left_alone() -> None:
    """A ``cache=shared`` URI is one database for every connection of the process: no
    refusal (the host chose it)."""
    url = "sqlite:///file:threads_shared?mode=memory&cache=shared&uri=true"
    engine = Engine(db_url=url)
    engine.deploy(_package())
    pi = engine.start_process("p")
    seen: list[list[str]] = []
    thread = threading.Thread(
        target=lambda: seen.append([s.id for s in engine.instance_summaries()])
    )
    thread.start()
    thread.join(30)
    assert seen == [[pi]]
    engine.close()


@pytest.mark.parametrize(
    "url",
    [
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///file:pool_private?mode=memory&uri=true",
        "sqlite:///file:pool_shared?mode=memory&cache=shared&uri=true",
    ],
)
def test_every_memory_database_keeps_one_connection_per_thread_without_a_warning(
    url: str,
) -> None:
    """SQLAlchemy picks the pool of one connection per thread for a ``mode=memory`` URI with a
    deprecation warning (a later release will pick its queue pool, which passes one
    connection from thread to thread): the engine names that pool, so the refusal above
    holds whatever the release, and no warning is printed."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        engine = Engine(db_url=url)
    try:
        assert isinstance(engine.store, SqlStore)
        assert isinstance(engine.store.sa_engine.pool, SingletonThreadPool)
    finally:
        engine.close()
