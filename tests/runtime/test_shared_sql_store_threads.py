"""Engines in several threads sharing one ``SqlStore`` (README: ``Engine(store=shared)``,
``Worker(lambda: Engine(store=shared))``).

What went wrong before: the store kept one unit of work for every thread, so a command of one
thread read the other's half-done instance, committed it and closed its connection: the
instance stuck (``KeyError 'pi-1:3'``, its work item open though audited completed), a
``Worker`` with ``concurrency=4`` died of ``ResourceClosedError``, and a read from another
thread through the same engine showed the running command's uncommitted changes.

Now each thread has a unit of work of its own: the commands behave as on stores of their own
(a lost race runs again on fresh state), and a read outside the command sees what is committed.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, SqlStore, Worker
from wfengine.definition.model import Package

#: how long a step may wait for the other thread's progress before the test fails (a safety
#: net against a hang, never a timing the test relies on)
_PATIENCE = 30.0


@pytest.fixture
def shared(db_url: str) -> Iterator[SqlStore]:
    """One store of each SQL kind (SQLite file, PostgreSQL), for engines to share."""
    store = SqlStore(db_url)
    yield store
    store.close()


def _parallel() -> Package:
    """``a`` and ``b`` in parallel; after ``a`` the synchronous ``slow``, then the join."""
    b = PackageBuilder("par")
    b.participant("clerk")
    b.application("slow", params=[("n", "OUT", "INTEGER")])
    p = b.process("flow")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s").route("split", gateway="Parallel")
    p.activity("a", performer="clerk").activity("b", performer="clerk")
    p.activity("slowstep", tool="slow", args=["n"])
    p.route("join", gateway="Parallel").activity("after", performer="clerk").end("e")
    p.sequence("s", "split").transition("split", "a").transition("split", "b")
    p.sequence("a", "slowstep", "join").transition("b", "join").sequence("join", "after", "e")
    return b.build()


def test_two_threads_completing_parallel_items_of_one_instance_both_succeed(
    shared: SqlStore,
) -> None:
    inside, b_done = threading.Event(), threading.Event()
    calls: list[str] = []

    def slow() -> dict[str, Any]:
        calls.append(threading.current_thread().name)
        if len(calls) == 1:  # the first call waits, inside A's command, for B's command
            inside.set()
            assert b_done.wait(_PATIENCE)
        return {"n": 7}

    engines = [Engine(store=shared), Engine(store=shared)]
    for engine in engines:
        engine.applications.register("slow", slow)
        engine.deploy(_parallel())
    iid = engines[0].start_process("flow")
    items = {w.activity_id: w.id for w in engines[0].work_items(iid)}
    failed: dict[str, BaseException] = {}

    def complete(engine: Engine, activity: str, after: threading.Event | None) -> None:
        try:
            if after is not None:
                assert after.wait(_PATIENCE)
            engine.complete_work_item(items[activity])
        except BaseException as exc:  # (reported by the assertion below)
            failed[activity] = exc
        finally:
            if activity == "b":
                b_done.set()

    threads = [
        threading.Thread(target=complete, args=(engines[0], "a", None), name="A"),
        threading.Thread(target=complete, args=(engines[1], "b", inside), name="B"),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(_PATIENCE)
    assert not any(t.is_alive() for t in threads)
    assert failed == {}
    # as on two stores: A lost the race to B's commit and ran again on fresh state
    assert calls == ["A", "A"]
    assert [w.activity_id for w in engines[1].work_items(iid)] == ["after"]
    assert engines[1].trace(iid).count("join") == 1
    for engine in engines:
        engine.close()


def test_another_threads_read_through_the_same_engine_sees_what_is_committed(
    shared: SqlStore,
) -> None:
    b = PackageBuilder("rd")
    b.participant("clerk")
    b.application("slow")
    p = b.process("flow")
    p.data_field("note", "STRING", initial="''")
    p.start("s").activity("a", performer="clerk", writes=["note"])
    p.activity("slowstep", tool="slow").activity("after", performer="clerk").end("e")
    p.sequence("s", "a", "slowstep", "after", "e")
    inside, read = threading.Event(), threading.Event()

    def slow() -> dict[str, Any]:
        inside.set()
        assert read.wait(_PATIENCE)
        return {}

    engine = Engine(store=shared)
    engine.applications.register("slow", slow)
    engine.deploy(b.build())
    iid = engine.start_process("flow")
    [item] = engine.work_items(iid)
    seen: dict[str, Any] = {}

    def reader() -> None:
        try:
            assert inside.wait(_PATIENCE)
            seen["note"] = engine.instance(iid).data["note"]
            seen["items"] = [(w.activity_id, w.state.value) for w in engine.work_items(iid)]
            seen["trace"] = engine.trace(iid)
        finally:
            read.set()

    thread = threading.Thread(target=reader)
    thread.start()
    engine.complete_work_item(item.id, {"note": "hello"})
    thread.join(_PATIENCE)
    assert seen == {"note": "", "items": [("a", "offered")], "trace": ["s"]}
    assert engine.instance(iid).data["note"] == "hello"
    engine.close()


def test_a_worker_of_four_threads_on_one_store_completes_every_instance(
    shared: SqlStore,
) -> None:
    b = PackageBuilder("emb")
    b.application("calc", params=[("x", "IN", "INTEGER"), ("y", "OUT", "INTEGER")])
    p = b.process("flow")
    p.data_field("x", "INTEGER", initial="0").data_field("y", "INTEGER", initial="0")
    p.start("s").activity("calc", tool="calc", args=["x", "y"]).end("e")
    p.sequence("s", "calc", "e")
    calls: Counter[str] = Counter()
    lock = threading.Lock()

    def calc(x: int, idempotency_key: str) -> dict[str, Any]:
        with lock:
            calls[idempotency_key] += 1
        return {"y": x * 2}

    def make() -> Engine:
        engine = Engine(store=shared)
        engine.applications.register("calc", calc, asynchronous=True)
        return engine

    host = make()
    host.deploy(b.build())
    ids = [host.start_process("flow", {"x": k}) for k in range(100)]
    Worker(make, concurrency=4, poll=0.01, until_idle=True).run()
    states = Counter(host.instance_summary(i).state.value for i in ids)
    assert states == {"closed.completed": 100}
    assert len(calls) == 100 and set(calls.values()) == {1}
    assert [host.instance(i).data["y"] for i in ids] == [2 * k for k in range(100)]
    host.close()
