"""A job stopped from outside (a worker supervisor's ``--job-timeout``, a worker process that
died under it) becomes an incident through ``Engine.abandon_job``: for an application call the
incident names the activity, the application and the attempt, the attempt is in the audit
trail (its own command, which would have recorded it, never committed), and the activity's
incident is that one until it is retried."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.jobs import PARKED
from wfengine.runtime.states import ProcessState

REASON = "ran longer than 3 s (--job-timeout); the worker process running it was stopped"


def _called(engine: Engine, *, beside: str | None = None) -> str:
    """An instance whose activity ``call`` calls an asynchronous application (and, with
    ``beside``, a person's activity on a parallel branch)."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    if beside is not None:
        p.route("split", gateway="Parallel").activity("desk", performer=beside)
        p.transition("split", "call").transition("split", "desk")
    p.data_field("n", "INTEGER", initial="5").data_field("pin", "STRING", initial="'4321'")
    p.application(
        "lookup",
        params=[("x", "IN", "INTEGER"), ("pin", "IN", "STRING")],
        extended={"wfengine:sensitive": "pin"},
    )
    p.activity("call", tool="lookup", args=["n", "pin"]).activity("after")
    p.transition("call", "after")
    engine.applications.register("lookup", lambda x, pin: None, asynchronous=True)
    return run(engine, pb)


def _stopped(engine: Engine, iid: str) -> str:
    """Claim the instance's invoke job as a worker would, then abandon it as its supervisor
    does; the job's id."""
    now = engine.clock.now()
    [job] = engine.store.claim_jobs("host:1:child", now, now + timedelta(seconds=60), 1)
    assert job.instance_id == iid and job.kind == "invoke"
    engine.abandon_job(job.id, REASON)
    return job.id


def test_a_stopped_call_is_an_incident_naming_its_activity_application_and_attempt(
    engine: Engine,
) -> None:
    iid = _called(engine)
    job_id = _stopped(engine, iid)
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "call" and incident.application_id == "lookup"
    assert incident.attempts == 1 and REASON in incident.message
    [call] = [a for a in engine.activity_instances(iid) if a.activity_id == "call"]
    assert call.incident_id == incident.id
    [job] = engine.jobs(iid)
    assert job.id == job_id and job.due == PARKED


def test_a_stopped_call_is_audited_as_invoked_and_failed(engine: Engine) -> None:
    iid = _called(engine)
    job_id = _stopped(engine, iid)
    events = [e for e in engine.audit(iid) if e.kind.startswith("application.")]
    assert [e.kind for e in events] == [
        "application.queued",
        "application.invoked",
        "application.failed",
    ]
    invoked, failed = events[1], events[2]
    assert invoked.activity_id == "call" and failed.activity_id == "call"
    assert invoked.payload.attempt == 1 and invoked.payload.job == job_id
    assert invoked.payload.inputs == {"x": 5, "pin": "***"}  # a secret stays hidden
    assert failed.payload.attempt == 1 and REASON in failed.payload.error


def test_retrying_a_stopped_call_calls_again_and_audits_each_attempt(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = _called(engine)
    _stopped(engine, iid)
    [incident] = engine.incidents(iid)
    clock.advance(timedelta(minutes=5))  # an operator looks into it, then retries
    engine.retry_incident(incident.id)
    assert engine.run_due_jobs() == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED
    attempts = [e.payload.attempt for e in engine.audit(iid) if e.kind == "application.invoked"]
    assert attempts == [1, 2]
    assert all(a.incident_id is None for a in engine.activity_instances(iid))
    assert engine.incidents(iid) == []


def test_closing_the_activity_of_a_stopped_call_resolves_its_incident(engine: Engine) -> None:
    iid = _called(engine, beside="clerk")
    _stopped(engine, iid)
    [call] = [a for a in engine.activity_instances(iid) if a.activity_id == "call"]
    engine.cancel_activity(iid, call.id)
    assert engine.instance(iid).state is ProcessState.RUNNING  # the clerk's branch goes on
    assert engine.incidents(iid) == []
    assert engine.jobs(iid) == []  # the parked call went with its activity


def test_a_naive_start_time_for_a_stopped_call_is_refused_naming_the_job(
    engine: Engine,
) -> None:
    iid = _called(engine)
    now = engine.clock.now()
    [job] = engine.store.claim_jobs("host:1:child", now, now + timedelta(seconds=60), 1)
    naive = now.replace(tzinfo=None)
    with pytest.raises(ValueError, match=rf"naive datetime .*{job.id}.*aware datetimes only"):
        engine.abandon_job(job.id, REASON, started_at=naive)
    assert engine.incidents(iid) == []  # nothing was recorded
    engine.abandon_job(job.id, REASON, started_at=now)  # an aware one is taken
    [incident] = engine.incidents(iid)
    assert REASON in incident.message
