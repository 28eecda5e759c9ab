"""A call lost with a host killed mid-call (``SIGKILL`` of the worker and its supervisor: its
command never committed) is audited by the engine that takes the job over, as invoked and
failed "interrupted", dated when that engine learns of it, with the call's key and inputs:
the trail's attempts are 1..n, none missing. Before, it read attempt 2 with no attempt 1,
against "every invocation is audited". For a job's synchronous call and for an ``invoke``
job's own call (:mod:`wfengine.runtime.lost_attempts`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="7").data_field("y", "STRING")
    p.application("app", params=[("a", "IN", "INTEGER"), ("b", "OUT", "STRING")])
    p.activity("A", tool="app", args=["x", "y"])
    return pb


def _calls(engine: Engine, iid: str) -> list[tuple[str, int, Any]]:
    return [
        (e.kind, e.detail["attempt"], e.detail.get("error", e.detail.get("inputs")))
        for e in engine.audit(iid)
        if e.kind in ("application.invoked", "application.failed", "application.returned")
    ]


def _killed_host(engine: Engine, clock: VirtualClock) -> None:
    """A host claims the due job, begins it and dies: nothing it did is committed."""
    now = clock.now()
    engine.store.claim_jobs("dead", now, now + timedelta(seconds=1), 10)
    clock.advance(timedelta(seconds=5))


def _check(engine: Engine, iid: str, clock: VirtualClock) -> None:
    calls = _calls(engine, iid)
    assert [(kind, attempt) for kind, attempt, _ in calls] == [
        ("application.invoked", 1),
        ("application.failed", 1),
        ("application.invoked", 2),
        ("application.returned", 2),
    ]
    assert calls[0][2] == {"a": 7}  # the inputs, as the call that took over had them
    assert str(calls[1][2]).startswith("interrupted: ")
    lost = [e for e in engine.audit(iid) if e.kind.startswith("application.")][:3]
    keys = {e.detail.get("key") for e in lost if "key" in e.detail}
    assert len(keys) == 1  # the same call
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_synchronous_call_of_a_killed_job_is_audited_by_the_takeover(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.applications.register("app", lambda a: {"b": "ok"}, retries=2)
    engine.deploy(_package().build())
    iid = engine.create_instance("main")
    engine.start(iid, defer=True)
    _killed_host(engine, clock)
    assert engine.run_due_jobs() == 1
    _check(engine, iid, clock)


def test_an_invoke_jobs_call_of_a_killed_host_is_audited_by_the_takeover(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.applications.register("app", lambda a: {"b": "ok"}, retries=2, asynchronous=True)
    engine.deploy(_package().build())
    iid = engine.start_process("main")
    _killed_host(engine, clock)
    assert engine.run_due_jobs() == 1
    _check(engine, iid, clock)


def test_a_retried_invoke_call_records_no_lost_attempt(engine: Engine, clock: VirtualClock) -> None:
    answers: list[Any] = [ConnectionError("down"), {"b": "ok"}]

    def app(a: int) -> Any:
        answer = answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    engine.applications.register("app", app, retries=2, backoff=1, asynchronous=True)
    engine.deploy(_package().build())
    iid = engine.start_process("main")
    engine.run_due_jobs()
    clock.advance(timedelta(seconds=2))
    engine.run_due_jobs()
    assert [(k, n) for k, n, _ in _calls(engine, iid)] == [
        ("application.invoked", 1),
        ("application.failed", 1),
        ("application.invoked", 2),
        ("application.returned", 2),
    ]
