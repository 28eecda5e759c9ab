"""Engines sharing one MemoryStore, each in its own thread (the README's one engine per
thread): two users claiming one offered item at once both won (``{'bob': 'claimed', 'ann':
'claimed'}``), since the memory store's unit of work opened nothing. Now a command's unit
holds the store's turn, and the second claim waits for the first and is refused, as on a
database."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

import pytest

from wfengine import (
    Engine,
    IllegalStateError,
    MemoryStore,
    PackageBuilder,
    StaticDirectory,
    SystemClock,
)


class _Pausing(SystemClock):
    """A clock whose first reading in the thread named ``ann``, once armed, waits for
    ``go``: the claim command reads it after checking the item is free, before taking it."""

    def __init__(self) -> None:
        self.armed = False
        self.inside = threading.Event()
        self.go = threading.Event()

    def now(self) -> datetime:
        if self.armed and threading.current_thread().name == "ann" and not self.inside.is_set():
            self.inside.set()
            assert self.go.wait(30)
        return super().now()


class _Watched:
    """The store's turn, saying when a second thread waits for it."""

    def __init__(self, met: threading.Event) -> None:
        self._lock = threading.RLock()
        self._met = met

    def __enter__(self) -> None:
        if not self._lock.acquire(blocking=False):
            self._met.set()
            self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


def test_two_engines_on_one_memory_store_claim_one_item_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pb = PackageBuilder("t")
    pb.participant("clerk")
    p = pb.process("p")
    p.start("s").activity("h", performer="clerk").end("e").sequence("s", "h", "e")
    store = MemoryStore()
    directory = StaticDirectory({"clerk": ["ann", "bob"]})
    setup = Engine(store=store, directory=directory)
    setup.deploy(pb.build())
    pi = setup.start_process("p")
    [item] = setup.work_items(pi)
    clock = _Pausing()
    engines = {
        "ann": Engine(store=store, directory=directory, clock=clock),
        "bob": Engine(store=store, directory=directory),
    }
    met = threading.Event()  # bob's claim met ann's turn (or, with no turn, got through)
    monkeypatch.setattr(store, "_turn", _Watched(met), raising=False)
    results: dict[str, Any] = {}

    def claim(user: str) -> None:
        try:
            engines[user].claim_work_item(item.id, user)
            results[user] = "claimed"
        except Exception as exc:
            results[user] = exc
        finally:
            if user == "bob":
                met.set()

    clock.armed = True
    ann = threading.Thread(target=claim, args=("ann",), name="ann")
    ann.start()
    assert clock.inside.wait(30)  # ann's command checked the item: offered, free
    bob = threading.Thread(target=claim, args=("bob",), name="bob")
    bob.start()
    assert met.wait(30)
    clock.go.set()
    ann.join(30)
    bob.join(30)

    assert results["ann"] == "claimed"
    assert isinstance(results["bob"], IllegalStateError), results
    assert setup.work_item(item.id).holder == "ann"
    allocated = [e for e in setup.audit_events(instance_id=pi) if e.kind == "work_item.allocated"]
    assert len(allocated) == 1


def test_reads_from_another_thread_take_no_turn() -> None:
    """A dashboard thread's reads work while a command holds the store's turn (they do not
    wait for it), through another engine on the store or the same one."""
    pb = PackageBuilder("t")
    pb.application("hold")
    p = pb.process("p")
    p.start("s").activity("x", tool="hold").end("e").sequence("s", "x", "e")
    store = MemoryStore()
    engine = Engine(store=store)
    inside, go = threading.Event(), threading.Event()

    def hold() -> dict[str, Any]:
        inside.set()
        assert go.wait(30)
        return {}

    engine.applications.register("hold", hold)
    engine.deploy(pb.build())
    go.set()
    done = engine.start_process("p")  # (this one does not wait)
    go.clear()
    inside.clear()
    runner = threading.Thread(target=lambda: engine.start_process("p"))
    runner.start()
    assert inside.wait(30)  # a command holds the turn
    try:
        seen = [s.id for s in Engine(store=store).instance_summaries()]
        same = [s.id for s in engine.instance_summaries()]
    finally:
        go.set()
        runner.join(30)
    assert seen == same == [done]  # (the running command's instance shows at its commit)
