"""``wfengine worker`` whose ``--apps`` outbox handler never returns (a socket read without a
timeout) stops it after ``--job-timeout`` as it stops a stuck job, records the delivery as one
failed attempt, and carries on with a fresh worker process.

Before, the worker's only thread sat in the handler for ever: timers stopped, the job timeout
did nothing (the supervisor watched jobs only), and once the entry's lease ran out the next
worker froze on it too.

Every ``wfengine worker`` here is a real process. Nothing assumes how fast the machine is: the
test waits for what the database shows (a timer's instance completed, an attempt recorded),
each wait with a deadline (:data:`PATIENCE`) far beyond what a busy machine needs.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.cli.databases import sqlite_url
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.outbox import OutboxKind, OutboxRecord, OutboxStatus
from wfengine.runtime.states import ProcessState

#: the longest any wait for the worker may take: reaching it means stuck, not slow
PATIENCE = 120.0

#: a handler that never returns for a work item's offer (it waits on an Event nobody sets,
#: after writing the offer's key to ``hung``) and takes every other entry; a short lease, so
#: nothing claimed with the hung entry waits minutes for its lease to run out
APPS = """
import threading
from datetime import timedelta

from wfengine.runtime.outbox import OutboxPolicy

def subscribe(outbox):
    outbox.policy = OutboxPolicy(lease=timedelta(seconds=2), first_retry=timedelta(hours=1))

    def notify(record):
        if record.kind == "work_item.offered":
            with open({hung!r}, "a") as f:
                f.write(record.key + "\\n")
            threading.Event().wait()  # a notifier stuck on a socket without a timeout

    outbox.subscribe(notify)
"""


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.process("desk").activity("answer", performer="clerk")
    timed = pb.process("timed")
    timed.intermediate("wait", timer="PT1S").activity("after").transition("wait", "after")
    return pb


def _wait_for(what: str, reached: Callable[[], bool], proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + PATIENCE
    while not reached():
        assert proc.poll() is None, f"the worker exited with {proc.returncode} before {what}"
        assert time.monotonic() < deadline, f"not {what} after {PATIENCE:.0f} s"
        time.sleep(0.05)


def _offered(engine: Engine) -> OutboxRecord:
    [entry] = [r for r in engine.outbox.entries() if r.kind == OutboxKind.WORK_ITEM_OFFERED]
    return entry


def _others_delivered(engine: Engine) -> bool:
    """Are the entries but the offer's delivered, the timer's instance's close among them?"""
    others = [r for r in engine.outbox.entries() if r.kind != OutboxKind.WORK_ITEM_OFFERED]
    closed = [r for r in others if r.key.endswith("/closed")]
    return bool(closed) and all(r.status is OutboxStatus.DELIVERED for r in others)


def test_a_handler_that_never_returns_is_stopped_and_the_timers_run(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    apps = tmp_path / "hung_apps.py"
    hung = tmp_path / "hung"
    apps.write_text(APPS.replace("{hung!r}", repr(str(hung))))
    log = tmp_path / "worker.log"
    with Engine(db_url=url) as engine:
        engine.deploy(_package().build())
        engine.start_process("desk")  # its offer's delivery never returns
        command = [sys.executable, "-m", "wfengine.cli.main", "worker", "--db", url]
        command += ["--apps", str(apps), "--poll", "0.1", "--job-timeout", "1"]
        with open(log, "ab") as err:
            proc = subprocess.Popen(command, stderr=err)
        try:
            _wait_for("the handler hung", hung.exists, proc)
            timed = engine.start_process("timed")  # a timer due once the worker is stuck
            _wait_for(
                "the timer's instance completed",
                lambda: engine.instance(timed).state is ProcessState.COMPLETED,
                proc,
            )
            _wait_for("the hung delivery recorded", lambda: _offered(engine).last_error, proc)
            # every other entry is delivered, the ones claimed with the hung one included (a
            # failed entry goes last in a batch) and the timer's instance's close
            _wait_for("the other entries delivered", lambda: _others_delivered(engine), proc)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=PATIENCE) == 0, log.read_text()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        entry = _offered(engine)
        # one failed attempt, waiting out its back-off (an hour: never again in this test)
        assert entry.status is OutboxStatus.PENDING and entry.attempts == 1
        assert entry.last_error is not None
        assert "ran longer than 1 s (--job-timeout)" in entry.last_error
        assert "the worker process delivering it was stopped" in entry.last_error
        assert entry.next_attempt_at is not None
        assert entry.next_attempt_at > engine.clock.now()
        # the summary counts every entry settled, by either worker process, and the hung
        # one's failed attempt, which the supervisor recorded
        done = sum(r.status is not OutboxStatus.PENDING for r in engine.outbox.entries())
    logged = log.read_text()
    assert f"and {done + 1} outbox entries; 0 incident(s) opened" in logged.splitlines()[-1]
    assert f"the delivery of outbox entry {entry.id} ran longer than 1 s" in logged
    assert logged.count("started worker process") >= 2  # a fresh one carried on
