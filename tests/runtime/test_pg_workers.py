"""Two worker processes on one PostgreSQL database (issue 4's multi-worker check).

M instances of the crash test's process (parallel branches, an application call, a 1 s real
timer) are started with ``wfengine instance start``; two long-running ``wfengine worker``
processes share them through ``FOR UPDATE SKIP LOCKED`` claims. Once every instance is
complete both are stopped with SIGTERM (a graceful stop: exit 0). No activity may have run
twice (audit trail), no instance may be left behind, and both workers must have done part of
the work. The second test SIGKILLs one worker halfway, at a moment it holds leased jobs (it is
frozen, its leases read from the jobs table, then killed): the other must take those jobs over
when their 2 s leases expire.

Nothing here depends on how fast the machine is (issue 9): the workers are started and known
to be polling before the instances are (so both take part however long a busy machine takes
to start one), the kill test starts its instances while both are frozen (a backlog, so the
victim holds a batch of leases whatever the machine's speed), the kill waits for progress in
the database, and every wait is a poll with a deadline far beyond what a slow machine needs.

M is 600 here (about 15 s per test on two cores) and the issue's 2000 under ``CI=true``;
``WFENGINE_PG_WORKERS_M`` overrides it. Without PostgreSQL the tests skip (fail under CI).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

from tests.runtime.crash_harness import (
    Database,
    check_everything_ran_once,
    cpu_load,
    frozen,
    kill,
    kill_holding_leases,
    start_instances,
    wait_for,
    wait_ready,
    worker,
    write_definition,
)

M = int(
    os.environ.get("WFENGINE_PG_WORKERS_M", "2000" if os.environ.get("CI") == "true" else "600")
)


def _wait_until(db: Database, done: int, procs: tuple[subprocess.Popen[bytes], ...]) -> None:
    wait_for(f"{done} instances completed", lambda: db.progress().completed >= done, procs, 0.2)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    os.kill(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=60) == 0


def _jobs_run(log: Path) -> int:
    found = re.findall(r"worker stopped after (\d+) job", log.read_text())
    assert len(found) == 1, log.read_text()[-2000:]
    return int(found[0])


def test_two_workers_share_the_instances_and_run_each_activity_once(
    pg_url: str, tmp_path: Path
) -> None:
    xpdl, apps = write_definition(tmp_path)
    logs = [tmp_path / "w1.log", tmp_path / "w2.log"]
    db = Database(pg_url)
    with cpu_load():
        procs = tuple(worker(pg_url, apps, log=log) for log in logs)
        try:
            for proc, log in zip(procs, logs, strict=True):
                wait_ready(proc, log)
            ids = start_instances(xpdl, pg_url, M, delay=1.0)
            _wait_until(db, M, procs)
        finally:
            db.close()
            for proc in procs:
                _stop(proc)
    ran = [_jobs_run(log) for log in logs]
    assert all(n > 0 for n in ran), ran  # both took part
    assert sum(ran) == 2 * M  # a continue job and a timer per instance, each run once
    check_everything_ran_once(pg_url, ids)


def test_a_worker_killed_halfway_leaves_nothing_behind(pg_url: str, tmp_path: Path) -> None:
    xpdl, apps = write_definition(tmp_path)
    logs = tmp_path / "victim.log", tmp_path / "survivor.log"
    db = Database(pg_url)
    with cpu_load():
        victim, survivor = (worker(pg_url, apps, log=log) for log in logs)
        try:
            wait_ready(victim, logs[0])
            wait_ready(survivor, logs[1])
            # started while both are frozen, the instances' jobs are a backlog: each worker
            # then claims batches, so the victim holds several leases at most moments (with
            # the work trickling in as fast as it is done, it held one at a time and the kill
            # below could wait for two in vain, as it did on a busy machine)
            with frozen(victim, survivor):
                ids = start_instances(xpdl, pg_url, M, delay=1.0)
            _wait_until(db, M // 2, (victim, survivor))
            # at least 2: a job the frozen victim's one thread had already sent its commit
            # for may still finish on the server; whatever is left only the survivor can do
            held, left = kill_holding_leases(victim, db, at_least=2)
            _wait_until(db, M, (survivor,))
            gone = not (left & db.job_ids())
        finally:
            db.close()
            kill(victim)
            _stop(survivor)
    print(f"jobs the killed worker held: {len(held)}, left leased after its death: {len(left)}")
    assert left, held  # the survivor really had leased jobs of a dead worker to take over
    assert gone  # and took them over
    check_everything_ran_once(pg_url, ids)
