"""An ``Engine`` on a SQL store opened before the process forks (gunicorn ``--preload``,
multiprocessing's ``fork``).

What went wrong before: the child kept the parent's lease owner (``worker_id``), and a claim
takes the jobs leased to its own owner, so parent and child ran the same jobs and each
asynchronous call was made twice; and the child kept the id blocks the parent's store had
reserved, so both handed out the same ``pi-N`` and a commit was refused with an
``IdTakenError`` that blamed ``Engine(ids=...)``, which the host never gave.

The child also went on with the connection the parent kept: one database session used by two
processes. Now the child takes a lease owner, id blocks and connections of its own.
"""

from __future__ import annotations

import json
import os
import select
from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, SqlStore
from wfengine.definition.model import Package

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the platform has no fork")

#: how long the parent waits for the child's progress before the test fails (a safety net)
_PATIENCE = 60.0


def _package() -> Package:
    b = PackageBuilder("fk")
    b.application("calc", params=[("x", "IN", "INTEGER"), ("y", "OUT", "INTEGER")])
    p = b.process("flow")
    p.data_field("x", "INTEGER", initial="0").data_field("y", "INTEGER", initial="0")
    p.start("s").activity("calc", tool="calc", args=["x", "y"]).end("e")
    p.sequence("s", "calc", "e")
    return b.build()


def _connection(conn: Any) -> int:
    """Which driver connection ``conn`` is (the child's must not be the parent's: one
    database session used by two processes)."""
    return id(conn.connection.dbapi_connection)


def _wait_for(fd: int) -> bytes:
    ready, _, _ = select.select([fd], [], [], _PATIENCE)
    assert ready, "the other process showed no progress"
    return os.read(fd, 65536)


def test_parent_and_child_of_a_fork_run_each_job_once_and_hand_out_their_own_ids(
    db_url: str, tmp_path: Path
) -> None:
    calls = tmp_path / "calls"
    parent = os.getpid()
    go_read, go_write = os.pipe()  # the parent has claimed its jobs: the child runs now
    done_read, done_write = os.pipe()  # the child's outcome, as JSON

    def calc(x: int, idempotency_key: str) -> dict[str, Any]:
        with calls.open("a") as f:
            f.write(f"{os.getpid()} {idempotency_key}\n")
        if os.getpid() == parent and x == 0:  # inside the parent's claim: let the child run
            os.write(go_write, b"go")
            child_said.append(_wait_for(done_read))
        return {"y": x * 2}

    child_said: list[bytes] = []
    engine = Engine(db_url=db_url)
    engine.applications.register("calc", calc, asynchronous=True)
    engine.deploy(_package())
    queued = [engine.start_process("flow", {"x": k}) for k in range(3)]  # 3 invoke jobs
    store = engine.store
    assert isinstance(store, SqlStore)
    parents = store.transaction(_connection, write=False)  # (kept for the next read)
    pid = os.fork()
    if pid == 0:  # the child: run the due jobs, start instances, tell the parent, and end
        outcome: dict[str, Any] = {}
        try:
            _wait_for(go_read)
            outcome["worker_id"] = engine.worker_id
            outcome["parents"] = store.transaction(_connection, write=False) == parents
            outcome["ran"] = engine.run_due_jobs()
            outcome["started"] = [engine.start_process("flow", {"x": 10 + k}) for k in range(3)]
        except BaseException as exc:
            outcome["error"] = f"{type(exc).__name__}: {exc}"
        finally:
            os.write(done_write, json.dumps(outcome).encode())
            os._exit(0)
    ran = engine.run_due_jobs()
    started = [engine.start_process("flow", {"x": 20 + k}) for k in range(3)]
    os.waitpid(pid, 0)
    [said] = child_said
    child = json.loads(said)
    assert "error" not in child, child["error"]
    assert ran + child["ran"] == 3
    engine.run_due_jobs()  # the calls of the instances started since
    keys = [line.split()[1] for line in calls.read_text().splitlines()]
    assert len(keys) == len(set(keys)) == 3 + 3 + 3  # each call made once
    everything = queued + started + child["started"]
    assert len(set(everything)) == 9
    assert {engine.instance_summary(i).state.value for i in everything} == {"closed.completed"}
    assert child["worker_id"] != engine.worker_id  # (a lease owner of its own)
    assert child["parents"] is False  # (and connections of its own)
    engine.close()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_a_child_forked_from_an_engine_on_sqlite_in_memory_works_on_its_own_copy(url: str) -> None:
    # the database lives in its one connection, which the fork copied: the child keeps it
    # (it was set aside, and the child's new connection was refused as a new, empty database)
    done_read, done_write = os.pipe()
    engine = Engine(db_url=url)
    engine.applications.register("calc", lambda x: {"y": x * 2}, asynchronous=True)
    engine.deploy(_package())
    queued = engine.start_process("flow", {"x": 1})
    pid = os.fork()
    if pid == 0:  # the child: finish the parent's instance in its copy, start one more
        outcome: dict[str, Any] = {}
        try:
            outcome["worker_id"] = engine.worker_id
            outcome["ran"] = engine.run_due_jobs()
            outcome["queued"] = engine.instance_summary(queued).state.value
            started = engine.start_process("flow", {"x": 2})
            engine.run_due_jobs()
            outcome["started"] = [started, engine.instance_summary(started).state.value]
        except BaseException as exc:
            outcome["error"] = f"{type(exc).__name__}: {exc}"
        finally:
            os.write(done_write, json.dumps(outcome).encode())
            os._exit(0)
    child = json.loads(_wait_for(done_read))
    os.waitpid(pid, 0)
    assert "error" not in child, child["error"]
    assert child["ran"] == 1
    assert child["queued"] == "closed.completed"
    assert child["started"][1] == "closed.completed"
    assert child["worker_id"] != engine.worker_id
    # the parent's database is its own: what the child did is not in it
    assert engine.instance_summary(queued).state.value == "open.running"
    assert engine.run_due_jobs() == 1
    assert engine.instance_summary(queued).state.value == "closed.completed"
    assert child["started"][0] not in {i.id for i in engine.instance_summaries()}
    engine.close()
