"""Reads from another thread of an in-memory engine while a command runs work: each listing
goes over a copy of the store's index taken at once, so a commit adding to it (a new
instance, a work item, a job) does not make the read raise ``RuntimeError: dictionary
changed size during iteration``. A second command from another thread is still refused."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.runtime import memory_store
from wfengine.runtime.audit_query import AuditQuery


def _engine() -> Engine:
    pb = PackageBuilder("t")
    pb.participant("clerk")
    p = pb.process("p")
    p.start("s").activity("h", performer="clerk").end("e").sequence("s", "h", "e")
    engine = Engine()
    engine.deploy(pb.build())
    return engine


def test_a_listing_taken_while_another_thread_commits_a_new_instance(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The reader is stopped half-way through its listing until the writer has committed a
    new instance: the listing is what the store held when it began, and the next one shows
    the new instance."""
    engine = _engine()
    first = [engine.start_process("p"), engine.start_process("p")]
    reading, written = threading.Event(), threading.Event()
    summarise = memory_store.summarise

    def paused(inst: Any) -> Any:  # the reader's first summary waits for the writer
        if threading.current_thread() is not threading.main_thread() and not reading.is_set():
            reading.set()
            assert written.wait(30)
        return summarise(inst)

    monkeypatch.setattr(memory_store, "summarise", paused)
    listed: list[list[str]] = []
    failed: list[BaseException] = []

    def reader() -> None:
        try:
            listed.append([s.id for s in engine.instance_summaries()])
        except BaseException as exc:
            failed.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    assert reading.wait(30)
    added = engine.start_process("p")  # a command, committing while the read is under way
    written.set()
    thread.join(30)
    assert failed == [] and listed == [first]
    assert [s.id for s in engine.instance_summaries()] == [*first, added]


@pytest.fixture
def fast_switching() -> Iterator[None]:
    """Threads take turns far more often than every 5 ms, so reads and commits interleave."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("fast_switching")
def test_every_listing_works_while_another_thread_runs_commands() -> None:
    engine = _engine()
    reads: dict[str, Callable[[], object]] = {
        "instance_summaries": engine.instance_summaries,
        "instances": lambda: engine.store.instances(),
        "work_items": engine.work_items,
        "worklist": lambda: engine.store.worklist("clerk"),
        "incidents": engine.incidents,
        "jobs": lambda: engine.store.jobs(),
        "audit_events": lambda: engine.store.audit_events(AuditQuery()),
    }
    start, done = threading.Barrier(2), threading.Event()
    failed: dict[str, str] = {}
    counted: list[int] = []

    def reader() -> None:
        start.wait(30)
        rounds = 0
        while not done.is_set() or rounds == 0:
            rounds += 1
            for name, read in reads.items():
                try:
                    read()
                except Exception as exc:
                    failed.setdefault(name, f"{type(exc).__name__}: {exc}")
        counted.append(rounds)

    thread = threading.Thread(target=reader)
    thread.start()
    start.wait(30)
    try:
        for _ in range(1500):
            engine.start_process("p", defer=True)
    finally:
        done.set()
        thread.join(60)
    assert failed == {}
    assert counted and counted[0] > 0
    assert len(engine.instance_summaries()) == 1500


def test_reads_work_while_a_command_waits_in_another_thread() -> None:
    """A command paused in an application call (another thread) does not stop reads: they
    see the store as it is (a second command would be refused: see test_reentry)."""
    pb = PackageBuilder("t")
    pb.participant("clerk")
    p = pb.process("p")
    p.application("touch")
    p.start("s").activity("call", tool="touch").activity("h", performer="clerk").end("e")
    p.sequence("s", "call", "h", "e")
    engine = Engine()
    engine.deploy(pb.build())
    inside, leave = threading.Event(), threading.Event()

    def touch() -> dict[str, Any]:
        inside.set()
        assert leave.wait(30)
        return {}

    engine.applications.register("touch", touch)
    done = engine.start_process("p", defer=True)
    writer = threading.Thread(target=engine.run_due_jobs)
    writer.start()
    try:
        assert inside.wait(30)
        assert [s.id for s in engine.instance_summaries()] == [done]
        assert engine.work_items() == [] and engine.incidents() == []
    finally:
        leave.set()
        writer.join(30)
    assert [w.activity_id for w in engine.work_items()] == ["h"]
