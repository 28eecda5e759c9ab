"""Reads of the in-memory outbox from another thread (README: reads from another thread work
on the memory store): ``outbox.entries()`` paused half-way while a delivery numbered newly
committed entries raised ``RuntimeError: dictionary changed size during iteration`` (and a
delivery meeting a listing did too). Now the outbox's methods take turns; a commit's append
needs no turn."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.runtime import outbox_memory


class _Watched:
    """A lock that says when a second thread waits for it (the deliverer meeting the reader),
    so the test knows the moment without waiting for time to pass."""

    def __init__(self, waiting: threading.Event) -> None:
        self._lock = threading.Lock()
        self._waiting = waiting

    def __enter__(self) -> None:
        if not self._lock.acquire(blocking=False):
            self._waiting.set()
            self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


def test_a_listing_and_a_delivery_from_two_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    pb = PackageBuilder("t")
    p = pb.process("p")
    p.start("s").activity("h", performer="clerk").end("e").sequence("s", "h", "e")
    engine = Engine()
    engine.deploy(pb.build())
    delivered: list[str] = []
    engine.outbox.subscribe(lambda entry: delivered.append(entry.key))
    engine.start_process("p")
    listed_before = len(engine.outbox.entries())
    store: Any = engine.store
    met = threading.Event()  # the deliverer met the reader (or, unguarded, got past it)
    monkeypatch.setattr(store._outbox, "_lock", _Watched(met), raising=False)
    absorb = outbox_memory.MemoryOutbox._absorb

    def absorbing(outbox: Any) -> None:
        absorb(outbox)
        if threading.current_thread().name == "deliverer":
            met.set()

    monkeypatch.setattr(outbox_memory.MemoryOutbox, "_absorb", absorbing)
    reading, go_on = threading.Event(), threading.Event()
    record = outbox_memory._Row.record

    def paused(row: Any) -> Any:  # the reader's first row waits until the deliverer came
        if threading.current_thread().name == "reader" and not reading.is_set():
            reading.set()
            assert go_on.wait(30)
        return record(row)

    monkeypatch.setattr(outbox_memory._Row, "record", paused)
    failed: list[BaseException] = []
    listed: list[int] = []

    def run(name: str, work: Any) -> threading.Thread:
        def guarded() -> None:
            try:
                work()
            except BaseException as exc:
                failed.append(exc)

        thread = threading.Thread(target=guarded, name=name)
        thread.start()
        return thread

    reader = run("reader", lambda: listed.append(len(engine.outbox.entries())))
    assert reading.wait(30)
    engine.start_process("p")  # a commit: new entries, numbered by the next look
    deliverer = run("deliverer", engine.deliver_outbox)
    assert met.wait(30)
    go_on.set()
    reader.join(30)
    deliverer.join(30)

    assert failed == []
    assert listed == [listed_before]  # as the outbox was when the listing began
    assert len(delivered) == len(engine.outbox.entries()) == 2 * listed_before
    assert len(set(delivered)) == len(delivered)
