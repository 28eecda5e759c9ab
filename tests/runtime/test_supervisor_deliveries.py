"""The worker supervisor stops an outbox delivery that runs too long as it stops a job, and
records it on its entry (:mod:`wfengine.runtime.supervised_deliveries`).

Scripted worker processes, as in ``test_supervisor``: each reports the events a real worker's
outbox reports for a delivery (a ``start`` of the delivery's job, :mod:`~wfengine.runtime.
outbox_watch`), then hangs or dies. The entry it names is a real outbox entry of a SQLite
database, claimed beforehand in the child's name, so what the supervisor does about it is read
from the database. Nothing waits for a fixed time: the job timeouts are settings the supervisor
acts on, and the tests wait for the supervisor to end.
"""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from tests.runtime.test_supervisor import CHILD, Running
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.outbox import OutboxPolicy, OutboxRecord, OutboxStatus
from wfengine.runtime.outbox_watch import Delivery, watched_delivery
from wfengine.runtime.supervisor import Supervisor

OWNER = "host:1:child"

Script = list[list[object]]


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}") as engine:
        pb = PackageBuilder("pkg")
        pb.process("main").activity("ask", performer="clerk")
        engine.deploy(pb.build())
        engine.start_process("main")
        yield engine


def _claimed(engine: Engine) -> list[OutboxRecord]:
    """The instance's entries (its start, its offer), claimed in the child's name."""
    now = engine.clock.now()
    claimed = engine.store.claim_outbox(OWNER, now, now + timedelta(seconds=60), 10)
    assert len(claimed) == 2
    return claimed


def _children(*scripts: Script) -> Callable[[int], Sequence[str]]:
    """The command of the n-th child: the n-th script (the last one for any later child)."""
    started: list[int] = []

    def command(fd: int) -> list[str]:
        script = scripts[min(len(started), len(scripts) - 1)]
        started.append(fd)
        return [sys.executable, "-c", CHILD, str(fd), json.dumps(script), OWNER]

    return command


def _entry(engine: Engine, entry_id: int) -> OutboxRecord:
    [entry] = [r for r in engine.outbox.entries() if r.id == entry_id]
    return entry


def test_a_delivery_id_is_told_apart_from_a_jobs() -> None:
    delivery = Delivery(12, 3, 4.0)
    assert watched_delivery(delivery.job_id) == delivery
    last = Delivery(12, 20, None)
    assert watched_delivery(last.job_id) == last
    assert watched_delivery("job-12") is None and watched_delivery("rm-3") is None


def test_a_delivery_running_too_long_is_one_failed_attempt_and_a_fresh_child_starts(
    engine: Engine,
) -> None:
    started, offered = _claimed(engine)
    hung = Delivery.of(offered, OutboxPolicy(first_retry=timedelta(hours=1)))
    frozen: Script = [["event", "start", [hung.job_id]], ["hang"]]
    supervisor = Supervisor(
        _children(frozen, [["exit", 0]]), engine, job_timeout=0.5, timeout_name="--job-timeout"
    )
    assert Running(supervisor).result() == 0  # the second child's status: it went idle
    assert supervisor.started == 2
    entry = _entry(engine, offered.id)
    assert entry.status is OutboxStatus.PENDING and entry.attempts == 1
    assert entry.last_error == (
        "the delivery ran longer than 0.5 s (--job-timeout) without a sign of progress; the "
        "worker process delivering it was stopped"
    )
    assert entry.next_attempt_at is not None
    assert entry.next_attempt_at > engine.clock.now() + timedelta(minutes=50)  # its back-off
    # the entry claimed with it and never started is the next claim's, due at once
    again = _entry(engine, started.id)
    assert again.status is OutboxStatus.PENDING and again.last_error is None


@pytest.mark.parametrize(
    "policy",
    [
        OutboxPolicy(first_retry=timedelta(days=365 * 9000), max_retry=timedelta.max),
        OutboxPolicy(max_retry=timedelta.max, max_attempts=100),
    ],
    ids=["years", "doubled"],
)
def test_a_back_off_past_the_last_date_waits_there_when_a_stopped_delivery_is_recorded(
    engine: Engine, policy: OutboxPolicy
) -> None:
    """A back-off past the dates there are was a bare OverflowError in the supervisor's settling
    thread (6613db2 mended the in-process path only): the entry was left leased, the others
    stopped with it unrecorded. It waits to the end of time, as timers do."""
    _, offered = _claimed(engine)
    attempt = 1 if policy.first_retry > timedelta(days=1) else 45
    hung = Delivery(offered.id, attempt, policy.retry_after(attempt).total_seconds())
    frozen: Script = [["event", "start", [hung.job_id]], ["hang"]]
    supervisor = Supervisor(_children(frozen, [["exit", 0]]), engine, job_timeout=0.5)
    assert Running(supervisor).result() == 0
    entry = _entry(engine, offered.id)
    assert entry.status is OutboxStatus.PENDING and entry.last_error is not None
    assert entry.next_attempt_at is not None and entry.next_attempt_at.year == 9999


def test_the_last_attempt_running_too_long_gives_the_entry_up(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    _, offered = _claimed(engine)
    last = Delivery.of(offered, OutboxPolicy(max_attempts=1))
    assert last.retry_after is None
    frozen: Script = [["event", "start", [last.job_id]], ["hang"]]
    supervisor = Supervisor(_children(frozen, [["exit", 0]]), engine, job_timeout=0.5)
    assert Running(supervisor).result() == 0
    entry = _entry(engine, offered.id)
    assert entry.status is OutboxStatus.FAILED
    assert entry.last_error is not None and "ran longer than 0.5 s" in entry.last_error
    assert f"engine.outbox.retry([{offered.id}])" in caplog.text  # what to do, logged


def test_a_child_dying_in_a_delivery_is_one_failed_attempt(engine: Engine) -> None:
    _, offered = _claimed(engine)
    delivery = Delivery.of(offered, OutboxPolicy())
    dying: Script = [["event", "start", [delivery.job_id]], ["die", signal.SIGKILL]]
    supervisor = Supervisor(_children(dying, [["exit", 0]]), engine)
    assert Running(supervisor).result() == 0
    assert supervisor.started == 2  # restarted at once: the delivery was to blame
    entry = _entry(engine, offered.id)
    assert entry.status is OutboxStatus.PENDING
    assert entry.last_error == (
        "the delivery failed: the worker process delivering it died (killed by SIGKILL)"
    )
    assert entry.next_attempt_at is not None and entry.next_attempt_at > engine.clock.now()


def test_a_delivery_that_ended_is_left_as_its_worker_recorded_it(engine: Engine) -> None:
    _, offered = _claimed(engine)
    delivery = Delivery.of(offered, OutboxPolicy())
    engine.store.settle_outbox(offered.id, OWNER, engine.clock.now())  # delivered
    ended: Script = [
        ["event", "start", [delivery.job_id]],
        ["event", "end", [delivery.job_id]],
        ["die", signal.SIGKILL],
    ]
    supervisor = Supervisor(_children(ended, [["exit", 0]]), engine)
    assert Running(supervisor).result() == 0
    entry = _entry(engine, offered.id)
    assert entry.status is OutboxStatus.DELIVERED and entry.last_error is None


def test_a_delivery_stopped_with_its_process_for_a_stop_is_due_again_at_once(
    engine: Engine,
) -> None:
    _, offered = _claimed(engine)
    delivery = Delivery.of(offered, OutboxPolicy(first_retry=timedelta(hours=1)))
    frozen: Script = [["ignore-term"], ["event", "start", [delivery.job_id]], ["hang"]]
    supervisor = Supervisor(_children(frozen), engine, job_timeout=600, grace=0.2)
    running = Running(supervisor)
    running.wait_until("the delivery started", lambda: bool(supervisor._deliveries))
    supervisor.on_signal(signal.SIGTERM)
    assert running.result() == 0
    entry = _entry(engine, offered.id)
    assert entry.status is OutboxStatus.PENDING and entry.attempts == 1
    assert entry.next_attempt_at is not None
    assert entry.next_attempt_at <= engine.clock.now()  # no back-off: not its failure
    assert engine.store.claim_outbox("other", engine.clock.now(), engine.clock.now(), 10)
