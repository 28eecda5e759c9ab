"""A lease or a poll past what the clock and the platform hold is refused by name, up front.

Why: ``Worker(lease=timedelta.max)``, ``Worker(poll=1e300)`` and ``run_due_jobs(lease=
timedelta.max)`` were taken, then failed at run with a bare ``OverflowError`` (a lease's end
past 9999-12-31, a sleep longer than ``threading.TIMEOUT_MAX``), the worker's lease thread
dying with a traceback of its own.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.job_arguments import MAX_LEASE
from wfengine.runtime.worker import Worker


def _engine_with_a_due_job() -> Engine:
    pb = PackageBuilder("desk")
    pb.application("ping", params=[])
    pb.process("t").activity("a", tool="ping")
    registry = ApplicationRegistry()
    registry.register("ping", lambda: {})
    engine = Engine(applications=registry, defer_automatic=True)
    engine.deploy(pb.build())
    engine.start_process("t")
    return engine


@pytest.mark.parametrize("lease", [timedelta.max, MAX_LEASE + timedelta(days=1)])
def test_a_worker_lease_past_the_bound_is_refused(lease: timedelta) -> None:
    with pytest.raises(ValueError, match=r"Worker\(lease=...\) is at most 36525 days"):
        Worker(Engine, lease=lease)


@pytest.mark.parametrize("poll", [1e300, threading.TIMEOUT_MAX * 2])
def test_a_worker_poll_longer_than_the_platform_waits_is_refused(poll: float) -> None:
    with pytest.raises(ValueError, match=r"Worker\(poll=...\) is at most .*TIMEOUT_MAX"):
        Worker(Engine, poll=poll)


def test_run_due_jobs_and_renew_leases_refuse_a_lease_past_the_bound() -> None:
    engine = _engine_with_a_due_job()
    with pytest.raises(ValueError, match=r"run_due_jobs\(lease=...\) is at most"):
        engine.run_due_jobs(lease=timedelta.max)
    with pytest.raises(ValueError, match=r"renew_leases\(lease=...\) is at most"):
        engine.renew_leases(["job-1"], lease=timedelta.max)
    assert len(engine.jobs()) == 1  # nothing was claimed


def test_the_longest_lease_allowed_runs_jobs() -> None:
    engine = _engine_with_a_due_job()
    assert engine.run_due_jobs(lease=MAX_LEASE) == 1
    worker = Worker(_engine_with_a_due_job, lease=MAX_LEASE, poll=threading.TIMEOUT_MAX)
    worker.until_idle = True
    worker.run()
    assert worker.ran == 1
