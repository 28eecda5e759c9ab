"""An asynchronous call whose ``invoke`` job a worker supervisor stops (``--job-timeout``, a
worker process dying under it: ``Engine.abandon_job``) fails its activity as every other
failed call does: the EXCEPTION transition takes it, else a ``run`` incident an operator may
skip with output data.

Why: it was an incident of the job, which no EXCEPTION transition took and which could not be
skipped ("it is a failed 'job' operation"): only retried, calling the application again, or
the instance aborted. It fails as an ``ApplicationTimeoutError`` (it gave no answer), not
retried: ``--job-timeout`` bounds a call with all its retries, and each retry of a call that
hangs would stop a worker process again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
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


def _abandoned(engine: Engine, pb: PackageBuilder, **binding: Any) -> str:
    """Start an instance, claim its invoke job as a worker would, and abandon it as the
    worker's supervisor does; the instance id."""
    engine.applications.register("app", lambda x: {"y": 1}, asynchronous=True, **binding)
    iid = run(engine, pb)
    now = engine.clock.now()
    [job] = engine.store.claim_jobs("host:1:child", now, now + timedelta(seconds=60), 1)
    assert job.kind == "invoke"
    engine.abandon_job(job.id, REASON, started_at=now)
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
