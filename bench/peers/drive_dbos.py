"""DBOS Transact's driver: runs in the peers' virtual environment (``.venv-peers``).

DBOS is a durable-execution library: every step's outcome is checkpointed in its system
database before the workflow goes on, so it has no in-memory mode to set beside W1-W5 in
memory; it is measured on the durable side only, on SQLite with the settings wfengine uses
(``journal_mode=WAL``, ``synchronous=NORMAL``, ``wal_autocheckpoint=4000``; DBOS's own SQLite
engine leaves SQLite's defaults, a rollback journal and ``synchronous=FULL``, so the driver hands
DBOS a SQLAlchemy engine that sets them, keeping DBOS's own ``BEGIN IMMEDIATE`` and
``busy_timeout``). Each job gets a fresh database file; ``DBOS.launch()`` and the schema are
done before the clock starts.

Jobs (see ``peerwork.serve``), ``{"workload": ..., "instances": N, "real_work": bool}``:

* ``DBOS-STEPS``: N workflows of 100 ``@DBOS.step()``s, each step calling the application;
  durable steps = step checkpoints committed (100 per workflow).
* ``DBOS-RECV``: N workflows of 100 durable waits, each ``DBOS.recv`` of a message the driver
  sends with ``DBOS.send`` from outside (the driver sends them as fast as it can while the
  workflow consumes them in another thread). A recv is a real durable checkpoint: its timeout
  is recorded and the consumed message recorded as the step's output, so a recovered workflow
  gets the same message. (``DBOS.sleep(0)`` is not one: DBOS 3.x returns from a sleep of
  0 seconds before recording anything.) Durable steps = recvs completed.
* ``DBOS-W4``: W4 as a DBOS workflow: ``intake`` a step calling the application, then, for the
  half not satisfied, two ``DBOS.recv``s, the manual steps, completed by the driver's
  ``DBOS.send``. Commands, as for wfengine: the start of each workflow and each send.

Every job checks what the system database recorded: every workflow ``SUCCESS`` and the
number of steps each recorded.
"""

from __future__ import annotations

import logging
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from dbos import DBOS, DBOSConfig, SetWorkflowID
from peerwork import Job, Result, WorkCounter, satisfied, serve, timed
from sqlalchemy import event

STEPS = 100
#: wfengine's ``sqlite_pragmas.WAL_CHECKPOINT_PAGES`` (this driver runs without wfengine
#: installed; tests/bench/test_bench_dbos_settings.py keeps the two equal)
WAL_CHECKPOINT_PAGES = 4_000
WORK = WorkCounter(False)


@DBOS.step()
def work_step(i: int) -> int:
    WORK()
    return i + 1


@DBOS.workflow()
def steps_workflow(n: int) -> int:
    i = 0
    for _ in range(n):
        i = work_step(i)
    return i


@DBOS.workflow()
def recv_workflow(n: int) -> int:
    got = 0
    for _ in range(n):
        if DBOS.recv("go", timeout_seconds=60) != "ok":
            raise AssertionError("recv timed out")
        got += 1
    return got


@DBOS.step()
def intake(k: int) -> bool:
    WORK()
    return satisfied(k)


@DBOS.workflow()
def w4_workflow(k: int) -> int:
    done = 1
    if not intake(k):
        for topic in ("department", "review"):
            if DBOS.recv(topic, timeout_seconds=60) != "done":
                raise AssertionError(f"recv {topic} timed out")
            done += 1
    return done


def _engine(url: str) -> sa.Engine:
    engine = sa.create_engine(url)

    @event.listens_for(engine, "connect")
    def _connect(conn: Any, _record: Any) -> None:
        conn.isolation_level = "IMMEDIATE"  # as DBOS's own SQLite engine
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA journal_mode=WAL")  # as wfengine's
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")

    return engine


def _launch(url: str, waits: bool) -> sa.Engine:
    engine = _engine(url)
    config: DBOSConfig = {
        "name": "wfengine-peers-bench",
        "system_database_url": url,
        "system_database_engine": engine,
        # on SQLite (no LISTEN/NOTIFY) a recv that waits wakes at the listener's next poll:
        # jobs with recvs get the shortest interval DBOS allows (1 ms, 2x its recv/s here
        # over the default 1 s); the others the default, as the poll costs them a few percent
        "notification_listener_polling_interval_sec": 0.001 if waits else 1.0,
        "log_level": "WARNING",
    }
    DBOS(config=config)
    DBOS.launch()
    logging.getLogger("dbos").setLevel(logging.WARNING)
    return engine


def _run(workload: str, n: int) -> tuple[list[str], int]:
    """Run the job's workflows; returns their ids and the commands issued."""
    ids: list[str] = []
    commands = 0
    for k in range(n):
        if workload == "DBOS-STEPS":
            with SetWorkflowID(f"steps-{k}"):  # called in this thread, as a host would
                if steps_workflow(STEPS) != STEPS:
                    raise AssertionError("steps workflow returned a wrong count")
            commands += 1
            ids.append(f"steps-{k}")
            continue
        if workload == "DBOS-RECV":
            handle = DBOS.start_workflow(recv_workflow, STEPS)
            commands += 1
            for _ in range(STEPS):
                DBOS.send(handle.workflow_id, "ok", topic="go")
                commands += 1
            if handle.get_result() != STEPS:
                raise AssertionError("recv workflow returned a wrong count")
        elif workload == "DBOS-W4":
            handle = DBOS.start_workflow(w4_workflow, k)
            commands += 1
            if not satisfied(k):
                for topic in ("department", "review"):
                    DBOS.send(handle.workflow_id, "done", topic=topic)
                    commands += 1
            if handle.get_result() != (1 if satisfied(k) else 3):
                raise AssertionError("W4 workflow returned a wrong count")
        else:
            raise ValueError(f"unknown workload {workload}")
        ids.append(handle.workflow_id)
    return ids, commands


def _recorded(ids: list[str]) -> tuple[int, dict[str, int]]:
    """How many of ``ids`` ended SUCCESS, and the steps they recorded, by function name."""
    statuses = {w.workflow_id: w.status for w in DBOS.list_workflows(workflow_ids=ids)}
    success = sum(1 for i in ids if statuses.get(i) == "SUCCESS")
    names: dict[str, int] = {}
    for wid in ids:
        for step in DBOS.list_workflow_steps(wid):
            names[step["function_name"]] = names.get(step["function_name"], 0) + 1
    return success, names


def handle(job: Job) -> Result:
    global WORK
    workload: str = job["workload"]
    n: int = job["instances"]
    WORK = WorkCounter(job.get("real_work", False))
    with tempfile.TemporaryDirectory(prefix="dbos-peers-") as tmp:
        engine = _launch(f"sqlite:///{Path(tmp) / 'dbos.sqlite'}", workload != "DBOS-STEPS")
        try:
            ids: list[str] = []
            commands = 0

            def run() -> None:
                nonlocal ids, commands
                ids, commands = _run(workload, n)

            seconds = timed(run)
            success, names = _recorded(ids)
            with engine.connect() as conn:
                mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
                sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
                pages = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
        finally:
            DBOS.destroy(destroy_registry=False)
            engine.dispose()
    if success != n:
        raise AssertionError(f"{workload}: {success} of {n} workflows ended SUCCESS")
    if (mode, sync, pages) != ("wal", 1, WAL_CHECKPOINT_PAGES):
        raise AssertionError(
            f"SQLite settings: journal_mode={mode}, synchronous={sync}, wal_autocheckpoint={pages}"
        )
    if workload == "DBOS-STEPS":
        steps = names.get(work_step.__qualname__, 0)
        want = {"steps": n * STEPS, "app_calls": n * STEPS}
    elif workload == "DBOS-RECV":
        steps = names.get("DBOS.recv", 0)
        want = {"steps": n * STEPS, "app_calls": 0}
    else:
        manual = sum(2 for k in range(n) if not satisfied(k))
        steps = names.get(intake.__qualname__, 0) + names.get("DBOS.recv", 0)
        want = {"steps": n + manual, "app_calls": n}
    got = {"steps": steps, "app_calls": WORK.calls}
    if got != want:
        raise AssertionError(f"{workload}: recorded {got}, expected {want} ({names})")
    return {**got, "commands": commands, "finished": success, "seconds": seconds}


if __name__ == "__main__":
    serve("dbos", version("dbos"), handle)
