"""A SQLite database file deleted (or replaced) under the processes that have it open.

Connecting to a SQLite path makes the file when there is none: a worker's file removed by an
operator used to come back empty at the supervisor's next connection (which then logged
``no such table: jobs`` every second), while the worker went on committing into the deleted
file. Now no later connection makes a file, and the worker and its supervisor stop, naming it.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.runtime.test_supervisor import Running
from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import StoreError
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql.sqlite_file import store_file_problem
from wfengine.runtime.supervisor import Supervisor
from wfengine.runtime.worker import Worker


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.application("work")
    p.activity("call", tool="work").activity("end").transition("call", "end")
    return pb


def test_a_deleted_file_is_not_made_again_by_a_later_connection(tmp_path: Path) -> None:
    path = tmp_path / "wf.db"
    with Engine(db_url=f"sqlite:///{path}") as engine:
        engine.deploy(_package().build(), check_bindings=False)
        engine.start_process("main", defer=True)
        assert store_file_problem(engine.store) is None
        for name in ("wf.db", "wf.db-wal", "wf.db-shm"):
            (tmp_path / name).unlink(missing_ok=True)
        problem = store_file_problem(engine.store)
        assert problem is not None and f"{path} was deleted" in problem
        with pytest.raises(StoreError, match="was deleted while this process had it open"):
            engine.store.sa_engine.connect()  # type: ignore[attr-defined]  # a new connection
        assert not path.exists()


def test_a_file_moved_over_the_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wf.db"
    with Engine(db_url=f"sqlite:///{path}") as engine:
        engine.deploy(_package().build(), check_bindings=False)
        shutil.copy(path, tmp_path / "backup.db")
        os.replace(tmp_path / "backup.db", path)
        with pytest.raises(StoreError, match=f"{path} was replaced by another file"):
            engine.store.sa_engine.connect()  # type: ignore[attr-defined]


def test_a_worker_stops_when_its_file_is_deleted(tmp_path: Path) -> None:
    path = tmp_path / "wf.db"
    url = f"sqlite:///{path}"
    with Engine(db_url=url) as engine:
        engine.deploy(_package().build(), check_bindings=False)
        for _ in range(3):
            engine.start_process("main", defer=True)
    calls: list[str] = []
    registry = ApplicationRegistry()

    def work(idempotency_key: str) -> None:
        calls.append(idempotency_key)
        path.unlink()  # an operator's mistake while the first job runs

    registry.register("work", work)
    worker = Worker(lambda: Engine(db_url=url, applications=registry), batch=1, until_idle=True)
    with pytest.raises(StoreError, match=f"{path} was deleted"):
        worker.run()
    assert len(calls) == 1  # not another job into the deleted file
    assert not path.exists()


def test_a_supervisor_stops_its_worker_when_the_file_is_deleted(tmp_path: Path) -> None:
    path = tmp_path / "wf.db"
    with Engine(db_url=f"sqlite:///{path}") as engine:
        engine.deploy(_package().build(), check_bindings=False)
        # the child deletes the file, then works on (as a worker in a long job would)
        child = "import os, sys, time; os.remove(sys.argv[1]); time.sleep(600)"
        supervisor = Supervisor(lambda fd: [sys.executable, "-c", child, str(path)], engine)
        assert Running(supervisor).result() == 2  # the database cannot be used
        assert supervisor.started == 1
        assert not path.exists()
