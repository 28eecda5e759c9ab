"""A lease renewal waiting for the database does not hold up the supervisor's loop.

Another session holding a lock (an operator's open transaction on PostgreSQL, a process in
BEGIN IMMEDIATE on SQLite) made the supervisor's renewal wait, and the supervisor renewed in
its loop: a job past its timeout was not stopped, and stop requests went unheeded, until the
lock went. Renewals now run in a thread of their own. Here the renewal waits on an event the
test sets only at the end, so whatever the supervisor does meanwhile, it did with a renewal
still waiting. Like the other supervisor tests, nothing here depends on the machine's speed.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.runtime.test_supervisor import (
    PATIENCE,
    Running,
    Script,
    _children,
    _claimed_jobs,
    _incident_messages,
    _job,
    _package,
)
from wfengine.runtime.engine import Engine
from wfengine.runtime.jobs import PARKED
from wfengine.runtime.supervisor import Supervisor


class WaitingRenewals(Engine):
    """An engine whose lease renewals wait until :attr:`release` is set (a lock held)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.waiting = threading.Event()
        self.release = threading.Event()

    def renew_leases(
        self, job_ids: Iterable[str], owner: str | None = None, lease: timedelta = timedelta(0)
    ) -> list[str]:
        self.waiting.set()
        self.release.wait(3 * PATIENCE)  # (set by the test, or at its end)
        return super().renew_leases(job_ids, owner=owner, lease=lease)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[WaitingRenewals]:
    engine = WaitingRenewals(db_url=f"sqlite:///{tmp_path / 'wf.db'}")
    try:
        engine.deploy(_package().build(), check_bindings=False)
        yield engine
    finally:
        engine.release.set()
        engine.close()


def test_a_job_past_its_timeout_is_stopped_while_a_renewal_waits(
    engine: WaitingRenewals,
) -> None:
    [slow] = _claimed_jobs(engine, 1)
    frozen: Script = [["event", "claimed", [slow]], ["event", "start", [slow]], ["hang"]]
    supervisor = Supervisor(
        _children(frozen, [["exit", 0]]),
        engine,
        lease=timedelta(seconds=0.3),
        job_timeout=1.0,
        timeout_name="--job-timeout",
    )
    running = Running(supervisor)
    running.wait_until("a renewal waits", engine.waiting.is_set)
    running.wait_until("the job is stopped", lambda: supervisor.timed_out == 1)
    assert not engine.release.is_set()  # (the renewal waits still)
    engine.release.set()
    assert running.result() == 0
    [message] = _incident_messages(engine)
    assert "ran longer than 1 s (--job-timeout)" in message
    assert _job(engine, slow) == (None, PARKED)


def test_a_stop_request_is_acted_on_while_a_renewal_waits(engine: WaitingRenewals) -> None:
    [job] = _claimed_jobs(engine, 1)
    stubborn: Script = [
        ["ignore-term"],
        ["event", "claimed", [job]],
        ["event", "start", [job]],
        ["hang"],
    ]
    supervisor = Supervisor(
        _children(stubborn), engine, lease=timedelta(seconds=0.3), job_timeout=600, grace=0.2
    )
    running = Running(supervisor)
    running.wait_until("a renewal waits", engine.waiting.is_set)
    supervisor.on_signal(signal.SIGTERM)
    assert running.result() == 0
    assert not engine.release.is_set()  # (the renewal waits still)
    assert _job(engine, job)[0] is None  # given back: it runs again
