"""An asynchronous application's answer that comes while its instance is suspended is kept with
the job and applied on resume: the application is called once (before, the answer was
discarded and the application called again on resume, with the same idempotency key: a
payment taken twice by a callee that does not recognise a repeat)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.invoke_jobs import ANSWER
from wfengine.runtime.jobs import JOB_INVOKE
from wfengine.runtime.states import ProcessState


def _package(*, handler: str | None = None) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("amount", "INTEGER", initial="7").data_field("receipt", "STRING")
    p.application("charge", params=[("a", "IN", "INTEGER"), ("r", "OUT", "STRING")])
    p.activity("call", tool="charge", args=["amount", "receipt"])
    p.activity("after").transition("call", "after")
    if handler:
        p.activity("handle").transition("call", "handle", exception=handler)
    return pb


def _suspending(engine: Engine, answer: Any) -> tuple[list[str], list[str]]:
    """Register ``charge``: its first call suspends the instance (an operator, while the call
    runs) and answers ``answer`` (raises it, an exception); returns the keys it was called
    with and a list the test puts the instance id in."""
    keys: list[str] = []
    iid: list[str] = []

    def charge(a: int, idempotency_key: str) -> Any:
        keys.append(idempotency_key)
        if len(keys) == 1:
            engine.suspend(iid[0])
        if isinstance(answer, BaseException):
            raise answer
        return answer

    engine.applications.register("charge", charge, asynchronous=True)
    return keys, iid


def _application_kinds(engine: Engine, iid: str) -> list[str]:
    return [e.kind for e in engine.audit(iid) if e.kind.startswith("application.")]


def test_an_answer_while_suspended_is_applied_on_resume_without_a_second_call(
    engine: Engine,
) -> None:
    keys, iid = _suspending(engine, {"r": "charged"})
    iid.append(run(engine, _package()))
    engine.run_due_jobs()
    snap = engine.instance(iid[0])
    assert snap.state is ProcessState.SUSPENDED and snap.data["receipt"] is None
    [job] = [j for j in engine.store.jobs(iid[0]) if j.kind == JOB_INVOKE]
    assert job.payload[ANSWER] == {"result": {"r": "charged"}}  # kept with the job
    engine.resume(iid[0])
    engine.run_due_jobs()
    snap = engine.instance(iid[0])
    assert len(keys) == 1  # the application was called once
    assert snap.state is ProcessState.COMPLETED and snap.data["receipt"] == "charged"
    assert _application_kinds(engine, iid[0]) == [
        "application.queued",
        "application.invoked",
        "application.returned",
    ]


def test_a_failure_while_suspended_is_applied_on_resume_without_a_second_call(
    engine: Engine,
) -> None:
    keys, iid = _suspending(engine, ConnectionError("bank down"))
    iid.append(run(engine, _package(handler="ConnectionError")))
    engine.run_due_jobs()
    engine.resume(iid[0])
    engine.run_due_jobs()
    assert len(keys) == 1
    assert engine.trace(iid[0]) == ["handle"]  # the EXCEPTION transition taken
    assert engine.instance(iid[0]).state is ProcessState.COMPLETED


def test_a_kept_answer_goes_with_an_instance_terminated_while_suspended(
    engine: Engine,
) -> None:
    keys, iid = _suspending(engine, {"r": "charged"})
    iid.append(run(engine, _package()))
    engine.run_due_jobs()
    engine.terminate(iid[0])
    assert engine.run_due_jobs() == 0
    assert engine.jobs(iid[0]) == [] and len(keys) == 1
    assert engine.instance(iid[0]).data["receipt"] is None


def test_a_kept_answer_claimed_and_then_suspended_again_is_kept_again(
    engine: Engine, clock: VirtualClock
) -> None:
    keys, iid = _suspending(engine, {"r": "charged"})
    iid.append(run(engine, _package()))
    engine.run_due_jobs()
    engine.resume(iid[0])
    now = clock.now()
    [job] = engine.store.claim_jobs("A", now, now + timedelta(minutes=1), 10)
    assert ANSWER in job.payload
    engine.suspend(iid[0])  # again, while A holds the job with the kept answer
    assert engine._run_job(job, "A") is False
    engine.resume(iid[0])
    engine.run_due_jobs()
    assert len(keys) == 1
    assert engine.instance(iid[0]).data["receipt"] == "charged"
