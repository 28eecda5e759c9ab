"""An asynchronous call whose ``invoke`` job a worker supervisor stops (``--job-timeout``, a
worker process dying under it: ``Engine.abandon_job``) fails its activity as every other
failed call does: the EXCEPTION transition takes it, else a ``run`` incident an operator may
skip with output data. Only while the call is in progress, as its runner told the
supervisor (``call_watch.in_progress``): a job stopped once its call has answered (applying
the answer waited on a directory or a lock), or holding an answer kept for the resume of a
suspended instance, or of which nothing was told, is the ``job`` incident it was, whose retry
runs the job again, losing nothing the call gave.

Why: it was an incident of the job, which no EXCEPTION transition took and which could not be
skipped ("it is a failed 'job' operation"): only retried, calling the application again, or
the instance aborted. It fails as an ``ApplicationTimeoutError`` (it gave no answer), not
retried: ``--job-timeout`` bounds a call with all its retries, and each retry of a call that
hangs would stop a worker process again."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime import call_watch
from wfengine.runtime.call_watch import CallInProgress
from wfengine.runtime.engine import Engine
from wfengine.runtime.jobs import PARKED, Job
from wfengine.runtime.states import ProcessState

REASON = "ran longer than 3 s (--job-timeout); the worker process running it was stopped"


def _package(*, catch: str | None) -> PackageBuilder:
    """``call`` calls ``app`` (x IN, y OUT into ``b``), then ``after``; with ``catch``, an
    EXCEPTION transition (``"default"``: DEFAULTEXCEPTION) leads to ``handler``."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("a", "INTEGER", initial="1").data_field("b", "INTEGER", initial="0")
    p.application("app", params=[("x", "IN", "INTEGER"), ("y", "OUT", "INTEGER")])
    p.activity("call", tool="app", args=["a", "b"]).activity("after")
    p.transition("call", "after")
    if catch is not None:
        p.activity("handler")
        if catch == "default":
            p.transition("call", "handler", default_exception=True)
        else:
            p.transition("call", "handler", exception=catch)
    return pb


def _told(engine: Engine, job: Job) -> list[CallInProgress]:
    """Make ``job``'s call as its runner does (:meth:`InvokeJobHandler.prepare` under the
    job's watcher); what the job observer (the supervisor) was told of it, in order."""
    told: list[CallInProgress] = []
    with call_watch.watching(told.append):
        engine.job_handlers["invoke"].prepare(engine, job)  # type: ignore[union-attr]
    return told


def _abandoned(
    engine: Engine, pb: PackageBuilder, *, answered: bool = False, **binding: Any
) -> str:
    """Start an instance, claim its invoke job as a worker would, and abandon it as the
    worker's supervisor does, the call still in progress (or, ``answered``, ended: the job
    stopped applying its answer); the instance id."""
    engine.applications.register("app", lambda x: {"y": 1}, asynchronous=True, **binding)
    iid = run(engine, pb)
    now = engine.clock.now()
    [job] = engine.store.claim_jobs("host:1:child", now, now + timedelta(seconds=60), 1)
    assert job.kind == "invoke"
    began, ended = _told(engine, job)
    assert not began.ended and ended == replace(began, ended=True)
    engine.abandon_job(job.id, REASON, started_at=now, call=ended if answered else began)
    return iid


@pytest.mark.parametrize("catch", ["default", "ApplicationTimeoutError"])
def test_a_stopped_call_takes_the_exception_transition(engine: Engine, catch: str) -> None:
    iid = _abandoned(engine, _package(catch=catch))
    assert engine.trace(iid) == ["handler"]
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.incidents(iid) == [] and engine.jobs(iid) == []
    failed = [e for e in engine.audit(iid) if e.kind == "application.failed"]
    assert len(failed) == 1 and REASON in failed[0].payload.error


def test_a_stopped_call_without_a_catch_is_an_incident_skipped_with_outputs(
    engine: Engine,
) -> None:
    iid = _abandoned(engine, _package(catch=None), retries=3)
    [incident] = engine.incidents(iid)
    assert incident.operation == "run" and incident.application_id == "app"
    assert "ApplicationTimeoutError" in incident.message and REASON in incident.message
    assert engine.jobs(iid) == []  # not retried, whatever the binding's retries
    engine.skip_incident(incident.id, {"b": 5})
    snap = engine.instance(iid)
    assert snap.state is ProcessState.COMPLETED and snap.data["b"] == 5
    assert engine.trace(iid) == ["call", "after"]


def test_a_job_stopped_after_its_call_answered_is_a_job_incident(engine: Engine) -> None:
    """The call answered (a payment made): it is not taken for failed, no EXCEPTION route."""
    iid = _abandoned(engine, _package(catch="ApplicationTimeoutError"), answered=True)
    assert "handler" not in engine.trace(iid)
    [incident] = engine.incidents(iid)
    assert incident.operation == "job" and incident.application_id == "app"
    assert "ApplicationTimeoutError" not in incident.message and REASON in incident.message
    [job] = engine.jobs(iid)
    assert job.due == PARKED  # a retry runs it again


def test_a_job_stopped_applying_a_kept_answer_applies_it_when_retried(engine: Engine) -> None:
    """The instance was suspended while the call ran: its answer kept for the resume. The
    job applying it after the resume stopped: a ``job`` incident, whose retry applies the
    kept answer, the application called once."""
    pb = _package(catch="ApplicationTimeoutError")
    calls: list[int] = []

    def app(x: int) -> dict[str, int]:
        calls.append(x)
        engine.suspend(iid)
        return {"y": 42}

    engine.applications.register("app", app, asynchronous=True)
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    engine.run_due_jobs()  # the call is made, its answer kept
    engine.resume(iid)
    now = engine.clock.now()
    [job] = engine.store.claim_jobs("host:1:child", now, now + timedelta(seconds=60), 1)
    assert "answer" in job.payload
    engine.abandon_job(job.id, REASON, started_at=now)  # (nothing told: no call made)
    [incident] = engine.incidents(iid)
    assert incident.operation == "job" and "handler" not in engine.trace(iid)
    engine.retry_incident(incident.id)
    engine.run_due_jobs()
    snap = engine.instance(iid)
    assert snap.state is ProcessState.COMPLETED and snap.data["b"] == 42
    assert calls == [1] and engine.trace(iid) == ["call", "after"]


def test_an_ended_call_reads_back_as_told() -> None:
    """What a worker process writes of a call to its supervisor keeps ``ended``; a line an
    older worker wrote (no ``ended``) reads as in progress."""
    call = CallInProgress("ai-1", "call", "app", 1, "k", {"x": 1})
    for told in (call, replace(call, ended=True)):
        assert CallInProgress.from_dict(told.to_dict()) == told
    old = call.to_dict()
    del old["ended"]
    assert CallInProgress.from_dict(old) == call
