"""Ctrl-C while a host runs ``Worker.run()`` in its main thread.

``run()`` used to raise ``KeyboardInterrupt`` at once while its (daemon) thread was still inside
the application call: a host exiting then left the job leased to a dead owner for the whole
lease, an attempt counted. Now Ctrl-C stops the worker as ``stop()`` does: the current job
finishes, the rest are given back, and then ``run()`` raises it; a second Ctrl-C abandons the
job. The signal is sent to the main thread as a terminal's Ctrl-C is, interrupting its join.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState
from wfengine.runtime.worker import Worker

#: the longest any wait for an event of the worker may take: reaching it means stuck, not slow
PATIENCE = 60.0


def _start(url: str, count: int) -> list[str]:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("v", "INTEGER", initial="0")
    p.application("work", params=[("v", "INOUT", "INTEGER")])
    p.activity("call", tool="work", args=["v"]).activity("end").transition("call", "end")
    with Engine(db_url=url) as engine:
        engine.deploy(pb.build(), check_bindings=False)
        return [engine.start_process("main", defer=True) for _ in range(count)]


class _Said(logging.Handler):
    """Sets ``finishing`` once the worker logs that it finishes its jobs after a Ctrl-C."""

    def __init__(self) -> None:
        super().__init__()
        self.finishing = threading.Event()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())
        if "finishing the current job" in record.getMessage():
            self.finishing.set()


@pytest.fixture
def said() -> Iterator[_Said]:
    handler = _Said()
    logger = logging.getLogger("wfengine.worker")
    logger.addHandler(handler)
    # Ctrl-C raises KeyboardInterrupt in the main thread (whatever a plugin made of SIGINT)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield handler
    finally:
        signal.signal(signal.SIGINT, previous)
        logger.removeHandler(handler)


def _ctrl_c() -> None:
    signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)


def test_ctrl_c_finishes_the_current_job_then_raises(tmp_path: Path, said: _Said) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    ids = _start(url, 3)
    called: list[str] = []
    returned: list[str] = []
    registry = ApplicationRegistry()

    def work(v: int, idempotency_key: str) -> dict[str, int]:
        called.append(idempotency_key)
        _ctrl_c()
        said.finishing.wait(PATIENCE)  # (never set before the fix: run() was gone already)
        returned.append(idempotency_key)
        return {"v": v + 1}

    registry.register("work", work)
    worker = Worker(lambda: Engine(db_url=url, applications=registry), poll=0.05, batch=1)
    with pytest.raises(KeyboardInterrupt):
        worker.run()
    assert len(called) == 1
    assert returned == called  # the application returned before run() raised
    assert any("Ctrl-C again abandons" in line for line in said.lines), said.lines
    with Engine(db_url=url) as engine:
        states = {i: engine.instance(i).state for i in ids}
        done = [i for i, state in states.items() if state is ProcessState.COMPLETED]
        assert len(done) == 1 and called[0].startswith(f"{done[0]}:"), (states, called)
        assert engine.instance(done[0]).data["v"] == 1
        # the others' jobs were not started: unleased, no attempt counted
        left = engine.jobs()
        assert len(left) == 2
        assert all(job.lock_owner is None and job.attempts == 0 for job in left), left


def test_a_second_ctrl_c_abandons_the_current_job(tmp_path: Path, said: _Said) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    ids = _start(url, 1)
    returned: list[str] = []
    release = threading.Event()
    registry = ApplicationRegistry()

    def work(v: int, idempotency_key: str) -> dict[str, int]:
        _ctrl_c()
        if said.finishing.wait(PATIENCE):
            _ctrl_c()  # the second, while run() waits for this job
        release.wait(PATIENCE)
        returned.append(idempotency_key)
        return {"v": v + 1}

    registry.register("work", work)
    worker = Worker(lambda: Engine(db_url=url, applications=registry), poll=0.05, batch=1)
    try:
        with pytest.raises(KeyboardInterrupt):
            worker.run()
        assert returned == []  # run() did not wait for the job
    finally:
        release.set()
    # the abandoned thread still finishes its job (the host did not exit here)
    deadline = time.monotonic() + PATIENCE
    with Engine(db_url=url) as engine:
        while engine.jobs() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert engine.instance(ids[0]).state is ProcessState.COMPLETED
    assert len(returned) == 1
