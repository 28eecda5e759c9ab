"""A supervisor whose worker process ends on its own once the SQLite file is deleted: exit
status 2 (the database cannot be used), not the worker process's.

The supervisor looks at the file once a second; a worker process that noticed first (its
threads stop on the file's going) and ended, or one that ended for another reason meanwhile,
had its status passed on (1), or another one started. Now the supervisor looks at the file
before it does either.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.runtime.test_supervisor import Running
from wfengine.runtime import supervisor as supervisor_module
from wfengine.runtime.engine import Engine
from wfengine.runtime.supervisor import Supervisor


@pytest.mark.parametrize("status", [0, 1, -9], ids=["idle", "failed", "killed"])
def test_a_worker_process_ending_after_its_file_went_ends_the_supervisor_with_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    # no look at the file once the first child runs: only the one when the child ends tells
    monkeypatch.setattr(supervisor_module, "_FILE_LOOK", 3600.0)
    path = tmp_path / "wf.db"
    end = f"os.kill(os.getpid(), {-status})" if status < 0 else f"sys.exit({status})"
    child = f"import os, sys; os.remove(sys.argv[1]); {end}"
    with Engine(db_url=f"sqlite:///{path}") as engine:
        supervisor = Supervisor(lambda fd: [sys.executable, "-c", child, str(path)], engine)
        assert Running(supervisor).result() == 2  # the database cannot be used
        assert supervisor.started == 1  # no other worker process on a deleted file
        assert not path.exists()


def test_a_worker_process_failing_with_the_file_there_passes_its_status_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(supervisor_module, "_FILE_LOOK", 3600.0)
    with Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}") as engine:
        supervisor = Supervisor(lambda fd: [sys.executable, "-c", "raise SystemExit(1)"], engine)
        assert Running(supervisor).result() == 1
