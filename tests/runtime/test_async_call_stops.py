"""An asynchronous application that raises ``SystemExit`` (or Ctrl-C while it runs) fails its
call, not retried, audited and an incident, as a synchronous one does; ``run_due_jobs`` in the
main thread raises the stop again once that is committed (it may be the program's).

Why: the stop was raised before the job's command, so the job was given back with nothing
recorded: run in the main thread, the application was called again on every run, the trail
said only ``application.queued``, and no incident was ever opened."""

from __future__ import annotations

import sys
import threading
from datetime import timedelta
from typing import Any

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("a", "INTEGER", initial="1").data_field("b", "INTEGER", initial="0")
    p.application("app", params=[("x", "IN", "INTEGER"), ("y", "OUT", "INTEGER")])
    p.activity("call", tool="app", args=["a", "b"]).activity("after")
    p.transition("call", "after")
    return pb


def _stopping(engine: Engine, stop: BaseException) -> list[int]:
    calls: list[int] = []

    def app(x: int) -> dict[str, Any]:
        calls.append(x)
        raise stop

    engine.applications.register("app", app, asynchronous=True, retries=2)
    return calls


def _failed_once(engine: Engine, iid: str, calls: list[int], stop: str) -> None:
    assert calls == [1]
    kinds = [e.kind for e in engine.audit(iid) if e.kind.startswith("application.")]
    assert kinds == ["application.queued", "application.invoked", "application.failed"]
    [incident] = engine.incidents(iid)
    assert incident.operation == "run" and incident.application_id == "app"
    assert f"{stop} is not retried" in incident.message
    assert engine.jobs(iid) == []
    assert engine.instance(iid).state is ProcessState.RUNNING


@pytest.mark.parametrize("stop", [SystemExit(3), KeyboardInterrupt()], ids=lambda s: str(type(s)))
def test_in_the_main_thread_the_call_fails_once_and_the_stop_is_raised_after(
    engine: Engine, clock: VirtualClock, stop: BaseException
) -> None:
    calls = _stopping(engine, stop)
    iid = run(engine, _package())
    with pytest.raises(type(stop)):
        engine.run_due_jobs()
    _failed_once(engine, iid, calls, type(stop).__name__)
    for _ in range(3):  # never called again: not given back, not retried
        clock.advance(timedelta(minutes=10))
        assert engine.run_due_jobs() == 0
    assert calls == [1]
    [incident] = engine.incidents(iid)
    engine.skip_incident(incident.id, {"b": 5})
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_in_another_thread_the_call_fails_once_and_nothing_is_raised(engine: Engine) -> None:
    calls = _stopping(engine, SystemExit(3))
    iid = run(engine, _package())
    raised: list[BaseException] = []

    def worker() -> None:
        try:
            engine.run_due_jobs()
        except BaseException as exc:  # (the test's own check: nothing escapes)
            raised.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert raised == []
    _failed_once(engine, iid, calls, "SystemExit")


def test_sys_exit_in_the_application_is_the_stop_raised(engine: Engine) -> None:
    engine.applications.register("app", lambda x: sys.exit(4), asynchronous=True)
    iid = run(engine, _package())
    with pytest.raises(SystemExit) as raised:
        engine.run_due_jobs()
    assert raised.value.code == 4
    [incident] = engine.incidents(iid)
    assert "SystemExit: 4" in incident.message
