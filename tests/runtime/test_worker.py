"""The job executor (``Worker``): threads, idle detection, stopping, lease renewal.

Nothing here assumes how fast the machine is (issue 9): where a test needs the threads to be
at some point (both running a job, a lease renewed, a thread idle) it waits for that event,
with a deadline (:data:`PATIENCE`) far beyond what a busy machine needs, not for a fixed time.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import StoreUnavailableError
from wfengine.runtime.engine import Engine
from wfengine.runtime.jobs import DEFAULT_LEASE
from wfengine.runtime.sql.retry import RetryPolicy
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.states import ProcessState
from wfengine.runtime.worker import Worker

#: the longest any wait for an event of the worker may take: reaching it means stuck, not slow
PATIENCE = 120.0


def _calling() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("v", "INTEGER", initial="0")
    p.application("work", params=[("v", "INOUT", "INTEGER")])
    p.activity("call", tool="work", args=["v"]).activity("end").transition("call", "end")
    return pb


def _start(url: str, count: int) -> list[str]:
    with Engine(db_url=url) as engine:
        engine.deploy(_calling().build(), check_bindings=False)
        return [engine.start_process("main", defer=True) for _ in range(count)]


def test_threads_share_the_jobs_and_stop_when_idle(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    ids = _start(url, 20)
    calls: Counter[str] = Counter()
    threads: set[str] = set()
    lock = threading.Lock()
    both_working = threading.Event()
    registry = ApplicationRegistry()

    def work(v: int, idempotency_key: str) -> dict[str, int]:
        with lock:
            calls[idempotency_key] += 1
            threads.add(threading.current_thread().name)
            if len(threads) == 2:
                both_working.set()
        # a thread's call waits until the other thread runs one too: however long a busy
        # machine takes to start the second thread, the first cannot do all the work alone
        assert both_working.wait(PATIENCE), "the second thread never ran a job"
        return {"v": v + 1}

    registry.register("work", work)
    worker = Worker(
        lambda: Engine(db_url=url, applications=registry), concurrency=2, batch=2, until_idle=True
    )
    worker.run()
    assert worker.ran == 20
    assert len(calls) == 20 and set(calls.values()) == {1}
    assert threads == {"wfengine-worker-1", "wfengine-worker-2"}
    with Engine(db_url=url) as engine:
        assert {engine.instance(i).state for i in ids} == {ProcessState.COMPLETED}
        assert engine.jobs() == []


def test_long_jobs_are_not_hoarded_by_one_thread(tmp_path: Path) -> None:
    """With the default batch, two jobs and two threads: each thread takes one. A thread
    that claimed both (ten at a time) would run them one after the other while the other
    thread idled; here each job waits until the other is running too, so that would hang."""
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    _start(url, 2)
    running: set[str] = set()
    lock = threading.Lock()
    both = threading.Event()
    registry = ApplicationRegistry()

    def work(v: int) -> dict[str, int]:
        with lock:
            running.add(threading.current_thread().name)
            if len(running) == 2:
                both.set()
        assert both.wait(PATIENCE), "one thread held both jobs"
        return {"v": v + 1}

    registry.register("work", work)
    worker = Worker(
        lambda: Engine(db_url=url, applications=registry), concurrency=2, until_idle=True
    )
    worker.run()
    assert worker.ran == 2 and running == {"wfengine-worker-1", "wfengine-worker-2"}


def test_a_thread_claims_about_half_a_second_of_jobs() -> None:
    from wfengine.runtime.worker import claim_size

    assert claim_size(None, 10) == 1  # nothing run yet: one
    assert claim_size(0.001, 10) == 10  # quick jobs: a batch
    assert claim_size(0.1, 10) == 5
    assert claim_size(3.0, 10) == 1  # long ones: one at a time


def test_leases_of_a_long_call_are_renewed_so_no_one_takes_the_job_over(tmp_path: Path) -> None:
    """Each call lasts until its job's lease was renewed four times, so longer than the lease
    it was claimed with (renewals come a third of a lease apart, at the soonest): without the
    renewals the other thread would have claimed the job and called again. The lease is long
    enough (3 s) that a renewal a second or two late on a busy machine still comes in time."""
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    ids = _start(url, 2)
    calls: Counter[str] = Counter()
    renewed: Counter[str] = Counter()
    engines: dict[str, Engine] = {}
    lock = threading.Condition()
    registry = ApplicationRegistry()

    class CountingRenewals(Engine):
        def renew_leases(
            self,
            job_ids: Iterable[str],
            owner: str | None = None,
            lease: timedelta = DEFAULT_LEASE,
        ) -> list[str]:
            kept = super().renew_leases(job_ids, owner, lease)
            with lock:
                renewed.update(kept)
                lock.notify_all()
            return kept

    def make() -> Engine:
        engine = CountingRenewals(db_url=url, applications=registry)
        engines[threading.current_thread().name] = engine
        return engine

    def slow(v: int, idempotency_key: str) -> dict[str, int]:
        [job] = engines[threading.current_thread().name].held_jobs()  # batch=1: this call's
        with lock:
            calls[idempotency_key] += 1
            outlived = lock.wait_for(lambda: renewed[job] >= 4, timeout=PATIENCE)
        assert outlived, f"the lease of {job} was renewed only {renewed[job]} times"
        return {"v": v + 1}

    registry.register("work", slow)
    worker = Worker(
        make, concurrency=2, batch=1, lease=timedelta(seconds=3), poll=0.05, until_idle=True
    )
    worker.run()
    assert len(calls) == 2 and set(calls.values()) == {1}  # never called twice
    with Engine(db_url=url) as engine:
        assert {engine.instance(i).state for i in ids} == {ProcessState.COMPLETED}


def test_stop_ends_a_long_running_worker(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    idle = threading.Condition()
    waits: list[int] = []

    class CountingIdleWaits(Engine):
        def next_due_at(self) -> datetime | None:  # asked before each idle sleep
            with idle:
                waits.append(1)
                idle.notify_all()
            return super().next_due_at()

    worker = Worker(lambda: CountingIdleWaits(db_url=url), poll=0.05)
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        with idle:  # slept with nothing due and came back for more: it waits for work
            assert idle.wait_for(lambda: len(waits) >= 2, timeout=PATIENCE)
        assert thread.is_alive()
    finally:
        worker.stop()
        thread.join(timeout=PATIENCE)
    assert not thread.is_alive() and worker.ran == 0


def test_a_failing_thread_stops_the_others_and_its_error_is_raised(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    made: list[int] = []

    def make() -> Engine:
        made.append(1)
        if len(made) == 2:
            raise StoreUnavailableError("the database went away")
        return Engine(db_url=url)

    worker = Worker(make, concurrency=2, poll=0.05)
    with pytest.raises(StoreUnavailableError, match="went away"):
        worker.run()


def test_until_idle_gives_up_when_the_database_does(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    _start(url, 1)
    fast = RetryPolicy(attempts=2, base_delay=0.001, max_delay=0.002)
    store = SqlStore(url, retry=fast)

    def unavailable(*_a: object, **_k: object) -> list[object]:
        raise StoreUnavailableError("down")

    store.claim_jobs = unavailable  # type: ignore[method-assign]
    worker = Worker(lambda: Engine(store=store), until_idle=True)
    with pytest.raises(StoreUnavailableError):
        worker.run()


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="concurrency"):
        Worker(Engine, concurrency=0)
    with pytest.raises(ValueError, match="positive"):
        Worker(Engine, lease=timedelta(0))
