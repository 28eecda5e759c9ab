"""A call whose job fails in the worker running it (an application calling ``sys.exit`` in a
worker thread, as in a ``wfengine worker`` process) is audited as invoked when its run began,
as a call the supervisor stops is (``test_supervisor_stopped_calls``): before, its
``application.invoked`` record was dated with the incident, when the failure was recorded."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.applications.registry import ApplicationRegistry
from wfengine.runtime.worker import Worker

#: how long the failing call takes, on the engine's clock
CALL = timedelta(hours=1)


def _registry(clock: VirtualClock) -> ApplicationRegistry:
    def call() -> None:
        clock.advance(CALL)  # the call takes an hour, then its process exits
        raise SystemExit(3)

    registry = ApplicationRegistry()
    registry.register("slow", call, asynchronous=True)
    return registry


def _start(engine: Engine) -> str:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.application("slow")
    p.activity("call", tool="slow").activity("end").transition("call", "end")
    engine.deploy(pb.build(), check_bindings=False)
    return engine.start_process("main")


def _dates(engine: Engine, iid: str) -> dict[str, datetime]:
    kinds = ("application.invoked", "application.failed", "incident.opened")
    found = {e.kind: e.at for e in engine.audit(iid) if e.kind in kinds}
    assert sorted(found) == sorted(kinds)
    return found


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_call_that_fails_in_a_worker_thread_is_invoked_when_its_run_began(
    store: str, tmp_path: Path
) -> None:
    clock = VirtualClock()
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=clock, db_url=url, applications=_registry(clock)) as engine:
        iid = _start(engine)
        began = clock.now()
        ran: list[int] = []
        thread = threading.Thread(target=lambda: ran.append(engine.run_due_jobs()))
        thread.start()
        thread.join()
        assert ran == [1]
        dates = _dates(engine, iid)
        assert dates["application.invoked"] == began  # when the call began
        assert dates["application.failed"] == dates["incident.opened"] == began + CALL
        (incident,) = engine.incidents(iid)
        assert incident.created_at == began + CALL  # the failure: when it was met


def test_a_worker_process_s_failed_call_is_invoked_when_its_run_began(tmp_path: Path) -> None:
    """The same through :class:`Worker`, which a ``wfengine worker`` process runs: its own
    engines, on the database the host's engine uses."""
    clock = VirtualClock()
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    registry = _registry(clock)
    with Engine(clock=clock, db_url=url, applications=registry) as engine:
        iid = _start(engine)
        began = clock.now()
        worker = Worker(
            lambda: Engine(clock=clock, db_url=url, applications=registry), until_idle=True
        )
        worker.run()
        assert worker.ran == 1
        dates = _dates(engine, iid)
        assert dates["application.invoked"] == began
        assert dates["application.failed"] == began + CALL
