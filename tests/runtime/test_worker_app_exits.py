"""An application that raises ``SystemExit`` or ``KeyboardInterrupt`` (``sys.exit`` in a library)
in a worker thread fails its own call: the job becomes an incident on its instance, and the
worker runs the others. Nothing outside a worker thread stops it that way (signals reach the
main thread; :meth:`Worker.stop` is how a host stops one)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState
from wfengine.runtime.worker import Worker


def _start(url: str, values: list[int]) -> list[str]:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("v", "INTEGER", initial="0")
    p.application("work", params=[("v", "INOUT", "INTEGER")])
    p.activity("call", tool="work", args=["v"]).activity("end").transition("call", "end")
    with Engine(db_url=url) as engine:
        engine.deploy(pb.build(), check_bindings=False)
        return [engine.start_process("main", {"v": v}, defer=True) for v in values]


@pytest.mark.parametrize("raised", [SystemExit(3), SystemExit(0), KeyboardInterrupt()])
def test_an_application_stopping_the_interpreter_fails_its_call_not_the_worker(
    tmp_path: Path, raised: BaseException
) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    bad, *good = _start(url, [-1, 1, 2, 3])
    registry = ApplicationRegistry()

    def work(v: int) -> dict[str, int]:
        if v < 0:
            raise raised  # e.g. a library calling sys.exit on input it does not like
        return {"v": v + 1}

    registry.register("work", work)
    worker = Worker(lambda: Engine(db_url=url, applications=registry), until_idle=True)
    worker.run()  # returns: nothing stopped it but being idle
    with Engine(db_url=url) as engine:
        assert [engine.instance(i).state for i in good] == [ProcessState.COMPLETED] * 3
        (incident,) = engine.incidents(bad)
        assert type(raised).__name__ in incident.message
        assert engine.instance(bad).state is ProcessState.RUNNING


def test_a_stop_raised_in_the_main_thread_still_stops_a_run_and_gives_the_job_back(
    tmp_path: Path,
) -> None:
    """In the main thread ``SystemExit`` may be a host's signal handler asking to stop: it
    stops ``run_due_jobs`` as before, the job given back, no incident."""
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    (iid,) = _start(url, [-1])
    registry = ApplicationRegistry()
    registry.register("work", lambda v: sys.exit(0))
    with Engine(db_url=url, applications=registry) as engine:
        with pytest.raises(SystemExit):
            engine.run_due_jobs()
        assert engine.incidents(iid) == []
        (job,) = engine.jobs(iid)
        assert job.lock_owner is None


def test_a_stop_raised_by_other_code_in_a_worker_thread_is_reported_as_a_failure(
    tmp_path: Path,
) -> None:
    """An outbox handler raising ``SystemExit`` ends its thread: the worker reports a
    failure (``wfengine worker`` exits 1, naming it) instead of stopping as if asked to."""
    from wfengine.runtime.outbox import OutboxHandlers

    url = f"sqlite:///{tmp_path / 'wf.db'}"
    _start(url, [1])
    registry = ApplicationRegistry()
    registry.register("work", lambda v: {"v": v + 1})
    handlers = OutboxHandlers()
    handlers.subscribe(lambda entry: sys.exit(0))
    worker = Worker(
        lambda: Engine(db_url=url, applications=registry, outbox_handlers=handlers),
        until_idle=True,
    )
    with pytest.raises(RuntimeError, match=r"SystemExit\(0\) raised in a worker thread"):
        worker.run()
