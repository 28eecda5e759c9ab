"""A worker whose SQLite file is deleted stops with ``StoreUnavailableError`` (the database
cannot be used), running until idle or not.

It used to stop with a plain ``StoreError``, which callers classify as a refusal of the
workflow (the CLI's ``engine_errors``: exit 1) rather than a database that cannot be used
(exit 2), as ``StoreUnavailableError`` is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine.applications.registry import ApplicationRegistry
from wfengine.cli.database import engine_errors
from wfengine.cli.exit_status import InputOutputError
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import StoreUnavailableError
from wfengine.runtime.engine import Engine
from wfengine.runtime.worker import Worker


def _worker(path: Path, *, until_idle: bool) -> tuple[Worker, list[str]]:
    """A worker on ``path`` with three jobs, whose first job's application deletes the file."""
    url = f"sqlite:///{path}"
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.application("work")
    p.activity("call", tool="work").activity("end").transition("call", "end")
    with Engine(db_url=url) as engine:
        engine.deploy(pb.build(), check_bindings=False)
        for _ in range(3):
            engine.start_process("main", defer=True)
    calls: list[str] = []
    registry = ApplicationRegistry()

    def work(idempotency_key: str) -> None:
        calls.append(idempotency_key)
        path.unlink()  # an operator's mistake while the first job runs

    registry.register("work", work)
    worker = Worker(
        lambda: Engine(db_url=url, applications=registry),
        batch=1,
        poll=0.05,
        until_idle=until_idle,
    )
    return worker, calls


@pytest.mark.parametrize("until_idle", [True, False], ids=["until-idle", "running"])
def test_a_deleted_file_ends_the_worker_as_unavailable(tmp_path: Path, until_idle: bool) -> None:
    path = tmp_path / "wf.db"
    worker, calls = _worker(path, until_idle=until_idle)
    with pytest.raises(StoreUnavailableError, match=rf"{path} was deleted while this process"):
        worker.run()
    assert len(calls) == 1  # not another job into the deleted file
    assert not path.exists()


def test_the_cli_takes_it_for_a_database_that_cannot_be_used(tmp_path: Path) -> None:
    path = tmp_path / "wf.db"
    worker, _calls = _worker(path, until_idle=False)
    with pytest.raises(InputOutputError, match=r"was deleted") as raised, engine_errors():
        worker.run()
    assert raised.value.exit_code == 2
