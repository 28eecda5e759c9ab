"""Engines sharing one store object (README's PgBouncer form, ``Engine(store=SqlStore(url))``).

``a.close()`` closed the ``SqlStore`` under every other engine on it: ``b``'s commands and
reads failed with "it is closed (engine.close()): open a new Engine on it", and a new Engine
on that store failed the same way. Now the store is closed when the last engine using it
closes, and an engine built on a closed store opens it again (the memory store never closes).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine import Engine, IllegalStateError, PackageBuilder, SqlStore, Worker
from wfengine.runtime.memory_store import MemoryStore
from wfengine.runtime.store import Store


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("work", performer="clerk")
    return pb


def _store(kind: str, tmp_path: Path) -> Store:
    return MemoryStore() if kind == "memory" else SqlStore(f"sqlite:///{tmp_path / 'wf.db'}")


def _sidecars(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir() if p.name != "wf.db")


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_closing_one_engine_leaves_the_shared_store_to_the_others(
    kind: str, tmp_path: Path
) -> None:
    store = _store(kind, tmp_path)
    a, b = Engine(store), Engine(store)
    a.deploy(_package().build())
    first = a.start_process("main")
    a.close()
    a.close()  # (a second close gives nothing back twice)

    assert b.instance(first).state.value == "open.running"
    second = b.start_process("main")
    with Engine(store) as c:
        assert {s.id for s in c.instance_summaries()} == {first, second}
    assert b.instance(second).state.value == "open.running"  # c's close left it to b
    b.close()
    if kind == "sqlite":  # the last engine closed the store: every connection is released
        assert _sidecars(tmp_path) == []
        with pytest.raises(IllegalStateError, match="it is closed"):
            store.instance(first)


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_an_engine_on_a_store_whose_engines_all_closed_opens_it_again(
    kind: str, tmp_path: Path
) -> None:
    store = _store(kind, tmp_path)
    with Engine(store) as first:
        first.deploy(_package().build())
        iid = first.start_process("main")
    with Engine(store) as again:  # was refused: "it is closed ...: open a new Engine on it"
        assert again.instance(iid).state.value == "open.running"
        assert again.start_process("main") != iid
    store.close()  # closed by the host itself: a new engine opens it again all the same
    with Engine(store) as third:
        assert len(third.instance_summaries()) == 2


def test_a_worker_on_a_shared_store_leaves_it_open_for_the_host(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'wf.db'}")
    host = Engine(store, defer_automatic=True)
    host.deploy(_package().build())
    iid = host.start_process("main")

    made: list[Engine] = []

    def make() -> Engine:
        made.append(Engine(store=store))
        return made[-1]

    Worker(make, concurrency=2, until_idle=True).run()

    assert len(made) == 2 and all(engine.closed for engine in made)
    assert [w.activity_id for w in host.work_items(iid)] == ["work"]  # the worker ran it
    host.close()


def test_an_in_memory_sqlite_store_is_not_opened_again_empty() -> None:
    store = SqlStore("sqlite://")
    Engine(store).close()
    with pytest.raises(IllegalStateError, match="build a new SqlStore"):
        Engine(store)


def test_a_shared_postgresql_store_closes_with_its_last_engine_and_opens_again(
    pg_url: str,
) -> None:
    store = SqlStore(pg_url)
    a, b = Engine(store), Engine(store)
    a.deploy(_package().build())
    iid = a.start_process("main")
    a.close()
    assert b.instance(iid).state.value == "open.running"
    b.close()
    with pytest.raises(IllegalStateError, match="it is closed"):
        store.instance(iid)
    with Engine(store) as again:
        assert again.instance(iid).state.value == "open.running"


def test_a_store_the_host_closed_itself_names_both_ways_it_closes(tmp_path: Path) -> None:
    """The refusal said "(engine.close())" when the host had called ``store.close()``."""
    store = SqlStore(f"sqlite:///{tmp_path / 'wf.db'}")
    engine = Engine(store)
    try:
        store.close()
        with pytest.raises(IllegalStateError, match=r"or store\.close\(\)\): open a new Engine"):
            engine.instance_summaries()
    finally:
        engine.close()
