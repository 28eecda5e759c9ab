"""One ``Worker`` runs again: ``run()`` after an idle end, after ``stop()`` or after a failure.

Why: ``run()`` left its stop request set and its failures kept, so a second ``run()`` (a host
draining due work periodically with one worker, a retry loop after a failure) started
threads that ended at once, silently, or raised the first run's exception again though
``make_engine`` worked by then. Each run now starts afresh; two at once are refused.
Nothing here waits for a fixed time: the threads are driven by the jobs they run.
"""

from __future__ import annotations

import threading

import pytest

from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.memory_store import MemoryStore
from wfengine.runtime.states import ProcessState
from wfengine.runtime.worker import Worker

#: the longest a wait for the worker may take: reaching it means stuck, not slow
PATIENCE = 120.0


class _Desk:
    """A store holding a one-activity process whose application ``ping`` calls ``on_ping``."""

    def __init__(self) -> None:
        pb = PackageBuilder("desk")
        pb.application("ping", params=[])
        pb.process("t").activity("a", tool="ping")
        self.store = MemoryStore()
        self.registry = ApplicationRegistry()
        self.on_ping = lambda: None
        self.registry.register("ping", lambda: self.on_ping() or {})
        self.host = Engine(store=self.store, applications=self.registry, defer_automatic=True)
        self.host.deploy(pb.build())

    def engine(self) -> Engine:
        return Engine(store=self.store, applications=self.registry)

    def completed(self, instance_id: str) -> bool:
        return self.host.instance(instance_id).state == ProcessState.COMPLETED


def test_a_worker_running_until_idle_drains_again_on_each_run() -> None:
    desk = _Desk()
    worker = Worker(desk.engine, until_idle=True, poll=0.05)
    for _ in range(3):
        started = desk.host.start_process("t")
        worker.run()
        assert desk.completed(started)
    assert worker.ran == 3 and desk.host.jobs() == []


def test_a_worker_stopped_runs_again() -> None:
    desk = _Desk()
    worker = Worker(desk.engine, poll=0.05)
    desk.on_ping = worker.stop  # each run ends after the job it runs
    for _ in range(2):
        started = desk.host.start_process("t")
        worker.run()
        assert desk.completed(started)


def test_a_stop_made_before_a_run_stops_that_run_only() -> None:
    desk = _Desk()
    worker = Worker(desk.engine, until_idle=True)
    started = desk.host.start_process("t")
    worker.stop()  # (a signal handler that fired before run() began)
    worker.run()
    assert worker.ran == 0 and not desk.completed(started)
    worker.run()
    assert desk.completed(started)


def test_a_failed_run_does_not_fail_the_next() -> None:
    desk = _Desk()
    calls: list[int] = []

    def make_engine() -> Engine:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("database not up yet")
        return desk.engine()

    worker = Worker(make_engine, until_idle=True)
    started = desk.host.start_process("t")
    with pytest.raises(ConnectionError, match="not up yet"):
        worker.run()
    worker.run()
    assert desk.completed(started)


def test_a_second_run_while_one_is_under_way_is_refused() -> None:
    desk = _Desk()
    running = threading.Event()
    made: list[int] = []

    def make_engine() -> Engine:
        made.append(1)
        if len(made) > 1:  # a second run's threads: end it (it was to be refused)
            worker.stop()
        running.set()
        return desk.engine()

    worker = Worker(make_engine, poll=0.05)
    first = threading.Thread(target=worker.run)
    first.start()
    try:
        assert running.wait(PATIENCE)
        with pytest.raises(RuntimeError, match=r"this Worker is already running"):
            worker.run()
    finally:
        worker.stop()
        first.join(PATIENCE)
    assert not first.is_alive()
    assert len(made) == 1  # (the refused run started no thread)
