"""``wfengine worker`` delivers, once, an outbox entry whose handler is slow but progressing:
it tells its recipients one by one, each slower than nothing but all together longer than
``--job-timeout``, and says so at each one
(:func:`~wfengine.runtime.outbox_delivery.delivery_progress`).

Before, the supervisor timed a delivery from its start: the handler was stopped half-way,
retried (telling its first recipients again) and given up after the policy's attempts, where a
worker without a supervisor had delivered it once. A handler blocked for ever is still stopped
(``test_worker_hung_outbox_handler``).

The worker is a real process. Nothing assumes how fast the machine is: the test waits for what
the database shows (the entry settled), with a deadline (:data:`PATIENCE`) far beyond what a
busy machine needs; the handler's sends are slow on purpose (the scenario), not a timing.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.cli.databases import sqlite_url
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.outbox import OutboxKind, OutboxRecord, OutboxStatus

#: the longest the wait for the entry may take: reaching it means stuck, not slow
PATIENCE = 120.0

#: a handler telling five recipients of a work item's offer, 0.4 s each (2 s in all, longer
#: than the worker's --job-timeout of 1.5 s), each send a sign of progress and a line in
#: ``sent``; three attempts, a second apart, as the retries it suffered
APPS = """
import time
from datetime import timedelta

from wfengine.runtime.outbox import OutboxPolicy
from wfengine.runtime.outbox_delivery import delivery_progress

def subscribe(outbox):
    outbox.policy = OutboxPolicy(
        lease=timedelta(seconds=5), first_retry=timedelta(seconds=1), max_attempts=3
    )

    def notify(record):
        if record.kind == "work_item.offered":
            for user in range(5):
                time.sleep(0.4)  # a recipient told, slowly
                with open(SENT, "a") as f:
                    f.write(f"{record.id} user{user}\\n")
                delivery_progress()

    outbox.subscribe(notify)
"""


def _offered(engine: Engine) -> OutboxRecord:
    [entry] = [r for r in engine.outbox.entries() if r.kind == OutboxKind.WORK_ITEM_OFFERED]
    return entry


def _settled(engine: Engine) -> bool:
    return _offered(engine).status in (OutboxStatus.DELIVERED, OutboxStatus.FAILED)


def test_a_slow_handler_showing_progress_is_delivered_once(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    apps, sent = tmp_path / "slow_apps.py", tmp_path / "sent"
    apps.write_text(APPS.replace("SENT", repr(str(sent))))
    log = tmp_path / "worker.log"
    pb = PackageBuilder("pkg")
    pb.process("desk").activity("answer", performer="clerk")
    with Engine(db_url=url) as engine:
        engine.deploy(pb.build())
        engine.start_process("desk")  # its offer's delivery takes 2 s
        command = [sys.executable, "-m", "wfengine.cli.main", "worker", "--db", url]
        command += ["--apps", str(apps), "--poll", "0.1", "--job-timeout", "1.5"]
        with open(log, "ab") as err:
            proc = subprocess.Popen(command, stderr=err)
        try:
            deadline = time.monotonic() + PATIENCE
            while not _settled(engine):
                assert proc.poll() is None, f"the worker exited with {proc.returncode}"
                assert time.monotonic() < deadline, f"not settled after {PATIENCE:.0f} s"
                time.sleep(0.05)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=PATIENCE) == 0, log.read_text()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        entry = _offered(engine)
        assert entry.status is OutboxStatus.DELIVERED, (entry.last_error, log.read_text())
        assert entry.attempts == 1 and entry.last_error is None
    # each recipient told once: never stopped half-way and retried
    assert sent.read_text().splitlines() == [f"{entry.id} user{u}" for u in range(5)]
    assert "ran longer than" not in log.read_text()
