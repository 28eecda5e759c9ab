"""Asynchronous applications: each call is an ``invoke`` job run outside any transaction.

The command that reaches the activity only queues the job; ``run_due_jobs`` (a worker) makes
the call with no unit of work open and commits its result as its own command: the activity
moves on, takes its EXCEPTION transition, is retried by the job with backoff, or becomes an
incident, exactly as a synchronous call would, and a result the instance no longer waits for
is discarded (and audited).
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.runtime.conftest import run, store_url
from wfengine.applications.registry import ApplicationRegistry
from wfengine.cli.run_cmd import run as run_command
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.io import dump_xpdl
from wfengine.errors import ApplicationError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.jobs import JOB_INVOKE
from wfengine.runtime.states import ActivityState, ProcessState


def _package(
    *, handler: str | None = None, deadline: str | None = None, extended: Any = None
) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("customer", "INTEGER", initial="7").data_field("name", "STRING")
    p.application(
        "lookup",
        params=[("id", "IN", "INTEGER"), ("name", "OUT", "STRING")],
        extended=extended,
    )
    deadlines = [("PT1M", deadline, "SYNCHR")] if deadline else []
    p.activity("call", tool="lookup", args=["customer", "name"], deadlines=deadlines)
    p.activity("after").transition("call", "after")
    if handler:
        p.activity("handle").transition("call", "handle", exception=handler)
    return pb


def _invoke_jobs(engine: Engine, iid: str) -> list[Any]:
    return [j for j in engine.store.jobs(iid) if j.kind == JOB_INVOKE]


def _kinds(engine: Engine, iid: str) -> list[str]:
    return [e.kind for e in engine.audit(iid) if e.kind.startswith("application.")]


def test_the_call_happens_in_run_due_jobs_not_in_the_command(engine: Engine) -> None:
    calls: list[tuple[int, str]] = []

    def lookup(id: int, idempotency_key: str) -> dict[str, Any]:
        calls.append((id, idempotency_key))
        return {"name": "Ada"}

    engine.applications.register("lookup", lookup, asynchronous=True)
    iid = run(engine, _package())
    assert calls == []
    [job] = _invoke_jobs(engine, iid)
    assert job.payload["inputs"] == {"id": 7} and job.payload["application_id"] == "lookup"
    [ai] = [a for a in engine.activity_instances(iid) if a.activity_id == "call"]
    assert ai.state is ActivityState.RUNNING  # waits, like a work item or a timer
    assert engine.instance(iid).state is ProcessState.RUNNING

    assert engine.run_due_jobs() == 1
    assert calls == [(7, job.key)]
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.instance(iid).data["name"] == "Ada"
    assert engine.trace(iid) == ["call", "after"]
    assert engine.jobs(iid) == []
    assert _kinds(engine, iid) == [
        "application.queued",
        "application.invoked",
        "application.returned",
    ]


def test_the_applications_own_attribute_makes_a_code_binding_asynchronous(
    engine: Engine,
) -> None:
    """README: a binding registered with asynchronous=True, or an Application with
    wfengine:asynchronous="true", is not called inside the engine command; the attribute
    was heeded only for bindings the definition declared itself."""
    calls: list[int] = []

    def lookup(id: int) -> dict[str, Any]:
        calls.append(id)
        return {"name": "Ada"}

    engine.applications.register("lookup", lookup)  # no asynchronous=True here
    iid = run(engine, _package(extended={"wfengine:asynchronous": "true"}))
    assert calls == [] and len(_invoke_jobs(engine, iid)) == 1
    assert engine.run_due_jobs() == 1
    assert calls == [7] and engine.instance(iid).state is ProcessState.COMPLETED


def test_an_asynchronous_binding_whose_outputs_are_optional_may_leave_them_out(
    engine: Engine,
) -> None:
    engine.applications.register("lookup", lambda id: {}, asynchronous=True, outputs_optional=True)
    iid = run(engine, _package())
    engine.set_data(iid, {"name": "kept"})
    assert engine.run_due_jobs() == 1
    assert engine.incidents(iid) == []  # as a synchronous call of the same binding
    assert engine.instance(iid).data["name"] == "kept"
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_inputs_are_those_of_the_moment_the_call_was_reached(engine: Engine) -> None:
    seen: list[int] = []

    def lookup(id: int) -> dict[str, Any]:
        seen.append(id)
        return {"name": "x"}

    engine.applications.register("lookup", lookup, asynchronous=True)
    iid = run(engine, _package())
    engine.set_data(iid, {"customer": 99})
    engine.run_due_jobs()
    assert seen == [7]


def test_no_unit_of_work_is_open_while_the_application_runs(
    request: pytest.FixtureRequest,
    engine: Engine,
    store_kind: str,
    tmp_path: Path,
    clock: VirtualClock,
) -> None:
    """The callable commits through a second engine on the same database: with a write
    transaction held by the job, SQLite would refuse it (database is locked) and PostgreSQL
    would make it wait on the instance's row."""
    url = store_url(request, store_kind, tmp_path)
    other_ran: list[str] = []

    def lookup(id: int) -> dict[str, Any]:
        assert engine._in_command is False
        assert getattr(engine.store, "_depth", 0) == 0
        if url is not None:
            with Engine(db_url=url, clock=clock) as other:
                other.set_data(iid, {"customer": 8})
                other_ran.append("yes")
        return {"name": "Ada"}

    engine.applications.register("lookup", lookup, asynchronous=True, timeout=30)
    iid = run(engine, _package())
    assert engine.run_due_jobs() == 1
    snap = engine.instance(iid)
    assert snap.state is ProcessState.COMPLETED and snap.data["name"] == "Ada"
    if url is not None:
        assert other_ran == ["yes"] and snap.data["customer"] == 8


def test_a_failure_follows_the_exception_transition(engine: Engine) -> None:
    def lookup(id: int) -> dict[str, Any]:
        raise ApplicationError("CRM is down")

    engine.applications.register("lookup", lookup, asynchronous=True)
    iid = run(engine, _package(handler="ApplicationError"))
    assert engine.run_due_jobs() == 1
    assert engine.trace(iid) == ["handle"]
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.incidents(iid) == []
    assert engine.instance(iid).data["name"] is None


def test_retries_are_job_retries_with_backoff_and_one_key(
    engine: Engine, clock: VirtualClock
) -> None:
    keys: list[str] = []

    def lookup(id: int, idempotency_key: str) -> dict[str, Any]:
        keys.append(idempotency_key)
        if len(keys) < 3:
            raise ConnectionError("try again")
        return {"name": "Ada"}

    engine.applications.register("lookup", lookup, asynchronous=True, retries=3, backoff=10)
    iid = run(engine, _package())
    start = clock.now()
    assert engine.run_due_jobs() == 1  # attempt 1 fails: given back for 10 s
    [job] = _invoke_jobs(engine, iid)
    assert job.due == start + timedelta(seconds=10) and job.lock_owner is None
    assert engine.run_due_jobs() == 0  # not due yet
    clock.advance(timedelta(seconds=10))
    assert engine.run_due_jobs() == 1  # attempt 2 fails: 20 s
    [job] = _invoke_jobs(engine, iid)
    assert job.due == clock.now() + timedelta(seconds=20) and job.attempts == 2
    clock.advance(timedelta(seconds=20))
    assert engine.run_due_jobs() == 1
    assert len(keys) == 3 and len(set(keys)) == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.instance(iid).data["name"] == "Ada"
    failed = [e.detail for e in engine.audit(iid) if e.kind == "application.failed"]
    assert [(f["attempt"], f["retry_in"]) for f in failed] == [(1, 10.0), (2, 20.0)]


def test_exhausted_retries_open_an_incident_that_an_operator_retries(
    engine: Engine, clock: VirtualClock
) -> None:
    answers: list[Any] = [ConnectionError("down"), ConnectionError("still down")]

    def lookup(id: int) -> dict[str, Any]:
        if answers:
            raise answers.pop(0)
        return {"name": "Ada"}

    engine.applications.register("lookup", lookup, asynchronous=True, retries=1, backoff=1)
    iid = run(engine, _package())
    engine.run_due_jobs()
    clock.advance(timedelta(seconds=1))
    engine.run_due_jobs()
    [incident] = engine.incidents(iid)
    assert incident.application_id == "lookup" and incident.attempts == 2
    assert "still down" in incident.message
    assert engine.jobs(iid) == []
    assert engine.instance(iid).state is ProcessState.RUNNING

    engine.retry_incident(incident.id)  # queues a new call
    assert engine.instance(iid).state is ProcessState.RUNNING
    assert engine.run_due_jobs() == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.trace(iid) == ["call", "after"]


def test_a_result_for_a_terminated_instance_is_discarded(engine: Engine) -> None:
    def lookup(id: int) -> dict[str, Any]:
        engine.terminate(iid)  # an operator, while the call runs
        return {"name": "Ada"}

    engine.applications.register("lookup", lookup, asynchronous=True)
    iid = run(engine, _package())
    assert engine.run_due_jobs() == 0
    snap = engine.instance(iid)
    assert snap.state is ProcessState.TERMINATED and snap.data["name"] is None
    assert engine.jobs(iid) == []
    discarded = [e for e in engine.audit(iid) if e.kind == "application.discarded"]
    assert len(discarded) == 1 and discarded[0].detail["application"] == "lookup"


def test_a_result_for_a_suspended_instance_waits_for_resume(engine: Engine) -> None:
    calls: list[int] = []

    def lookup(id: int) -> dict[str, Any]:
        calls.append(id)
        if len(calls) == 1:
            engine.suspend(iid)
        return {"name": "Ada"}

    engine.applications.register("lookup", lookup, asynchronous=True)
    iid = run(engine, _package())
    assert engine.run_due_jobs() == 0
    assert engine.instance(iid).data["name"] is None
    assert "application.discarded" not in _kinds(engine, iid)  # kept with the job
    engine.resume(iid)
    assert engine.run_due_jobs() == 1
    assert calls == [7]  # applied on resume, not called again
    assert engine.instance(iid).data["name"] == "Ada"
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_an_interrupting_deadline_drops_the_call(engine: Engine, clock: VirtualClock) -> None:
    def lookup(id: int) -> dict[str, Any]:
        clock.advance(timedelta(minutes=1))  # the deadline fires while A's call runs
        return {"name": "late"}

    engine.applications.register("lookup", lookup, asynchronous=True)
    iid = run(engine, _package(handler="Late", deadline="Late"))
    [job] = engine.store.claim_jobs("A", clock.now(), clock.now() + timedelta(hours=1), 10)
    assert job.kind == JOB_INVOKE
    assert engine._run_job(job, "A") is False
    assert engine.trace(iid) == ["handle"]
    assert engine.instance(iid).data["name"] is None
    assert _kinds(engine, iid)[-1] == "application.discarded"


def test_a_second_run_after_a_lease_expiry_has_no_second_effect(
    engine: Engine, clock: VirtualClock
) -> None:
    keys: list[str] = []

    def lookup(id: int, idempotency_key: str) -> dict[str, Any]:
        keys.append(idempotency_key)
        return {"name": f"call {len(keys)}"}

    engine.applications.register("lookup", lookup, asynchronous=True)
    iid = run(engine, _package())
    now = clock.now()
    [stale] = engine.store.claim_jobs("A", now, now + timedelta(seconds=1), 10)
    clock.advance(timedelta(seconds=5))  # A is slow: its lease runs out
    [taken] = engine.store.claim_jobs("B", clock.now(), clock.now() + timedelta(minutes=1), 10)
    assert engine._run_job(taken, "B") is True
    assert engine._run_job(stale, "A") is False  # A finds its job carried out: no call
    assert keys == [taken.key]
    snap = engine.instance(iid)
    assert snap.data["name"] == "call 1" and engine.trace(iid) == ["call", "after"]
    assert "application.discarded" not in _kinds(engine, iid)


def test_definition_declared_bindings_can_be_asynchronous(engine: Engine) -> None:
    engine.applications.allow_agent("echo", lambda settings: lambda id: {"name": str(id)})
    iid = run(
        engine,
        _package(extended={"wfengine:agent": "echo", "wfengine:asynchronous": "true"}),
    )
    assert engine.instance(iid).data["name"] is None and len(_invoke_jobs(engine, iid)) == 1
    engine.run_due_jobs()
    assert engine.instance(iid).data["name"] == "7"


def test_a_definition_with_a_bad_asynchronous_flag_is_refused() -> None:
    registry = ApplicationRegistry()
    registry.allow_agent("echo", lambda settings: lambda id: {"name": str(id)})
    app = _package(extended={"wfengine:agent": "echo", "wfengine:asynchronous": "maybe"})
    package = app.build()
    [application] = package.process("main").applications
    with pytest.raises(ApplicationError, match="asynchronous must be true or false"):
        registry.resolve(application)


def test_a_later_synchronous_tool_runs_when_the_asynchronous_one_answered(
    engine: Engine,
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="1").data_field("m", "INTEGER")
    p.application("slow", params=[("x", "IN", "INTEGER"), ("y", "OUT", "INTEGER")])
    p.application("fast", params=[("x", "IN", "INTEGER"), ("y", "OUT", "INTEGER")])
    p.activity("call", tools=[("slow", ["n", "m"]), ("fast", ["m", "n"])])
    engine.applications.register("slow", lambda x: {"y": x + 10}, asynchronous=True)
    engine.applications.register("fast", lambda x: {"y": x * 2})
    iid = run(engine, pb)
    assert engine.instance(iid).data == {"n": 1, "m": None}
    engine.run_due_jobs()
    assert engine.instance(iid).data == {"n": 22, "m": 11}


APPS = """
calls = []

def register(registry):
    def double(n):
        calls.append(n)
        return {"n": n * 2}

    registry.register("double", double, asynchronous=True, retries=1, backoff=0.01)
"""


def test_wfengine_run_completes_a_process_with_an_asynchronous_app(tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="21")
    p.application("double", params=[("n", "INOUT", "INTEGER")])
    p.activity("call", tool="double", args=["n"])
    path = tmp_path / "p.xpdl"
    path.write_bytes(dump_xpdl(pb.build()))
    (tmp_path / "wf_async_apps.py").write_text(APPS)
    sys.path.insert(0, str(tmp_path))
    try:
        result = CliRunner().invoke(run_command, [str(path), "--apps", "wf_async_apps", "--json"])
        assert result.exit_code == 0, result.output
        out = json.loads(result.output)
        assert out["state"] == "closed.completed" and out["data"] == {"n": 42}
        assert sys.modules["wf_async_apps"].calls == [21]
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("wf_async_apps", None)
