"""The memory store keeps its last trail read for the next page (``iter_events``): a read in
another thread that overlapped a commit stored its answer after the commit had cleared the
kept one, and every later ``audit_events`` of that query answered without the committed
events (1616 of 1800 ``instance.created`` after all writes ended). Now a kept read is used
only if no change to the trail ended since it began."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.runtime.memory_store import MemoryStore


def test_a_read_overlapping_a_commit_is_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    pb = PackageBuilder("t")
    p = pb.process("p")
    p.start("s").activity("h", performer="clerk").end("e").sequence("s", "h", "e")
    engine = Engine()
    engine.deploy(pb.build())
    first = engine.start_process("p")
    selecting, committed = threading.Event(), threading.Event()
    select = MemoryStore._select_events

    def paused(store: MemoryStore, query: Any) -> Any:  # the reader's scan waits for a commit
        found = select(store, query)
        if threading.current_thread() is not threading.main_thread():
            selecting.set()
            assert committed.wait(30)
        return found

    monkeypatch.setattr(MemoryStore, "_select_events", paused)
    seen: list[list[str]] = []
    reader = threading.Thread(
        target=lambda: seen.append(
            [e.instance_id for e in engine.audit_events(kind="instance.created")]
        )
    )
    reader.start()
    assert selecting.wait(30)
    second = engine.start_process("p")  # commits while the reader's answer is on its way
    committed.set()
    reader.join(30)

    assert seen == [[first]]  # the reader answers as of when it read
    after = [e.instance_id for e in engine.audit_events(kind="instance.created")]
    assert after == [first, second]
