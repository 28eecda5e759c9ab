"""The job executor (``Worker``): threads, idle detection, stopping, lease renewal."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.errors import StoreUnavailableError
from wfengine.runtime.applications import ApplicationRegistry
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql.retry import RetryPolicy
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.states import ProcessState
from wfengine.runtime.worker import Worker


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
    registry = ApplicationRegistry()

    def work(v: int, idempotency_key: str) -> dict[str, int]:
        calls[idempotency_key] += 1
        threads.add(threading.current_thread().name)
        time.sleep(0.005)
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


def test_leases_of_a_long_call_are_renewed_so_no_one_takes_the_job_over(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    ids = _start(url, 2)
    calls: Counter[str] = Counter()
    registry = ApplicationRegistry()

    def slow(v: int, idempotency_key: str) -> dict[str, int]:
        calls[idempotency_key] += 1
        time.sleep(1.0)  # more than three leases long
        return {"v": v + 1}

    registry.register("work", slow)
    worker = Worker(
        lambda: Engine(db_url=url, applications=registry),
        concurrency=2,
        batch=1,
        lease=timedelta(seconds=0.3),
        poll=0.05,
        until_idle=True,
    )
    worker.run()
    assert len(calls) == 2 and set(calls.values()) == {1}  # never called twice
    with Engine(db_url=url) as engine:
        assert {engine.instance(i).state for i in ids} == {ProcessState.COMPLETED}


def test_stop_ends_a_long_running_worker(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    worker = Worker(lambda: Engine(db_url=url), poll=0.05)
    thread = threading.Thread(target=worker.run)
    thread.start()
    time.sleep(0.2)
    assert thread.is_alive()  # nothing due: it waits for work
    worker.stop()
    thread.join(timeout=5)
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
