"""A synchronous application call made inside a job of any kind (a deferred start's
``continue`` job, the step after a timer) and stopped from outside (a worker supervisor's
``--job-timeout``, the worker process dying) is audited and named by its incident, as an
``invoke`` job's call is: the job's runner tells the job observer each call as it begins, the
supervisor keeps the last one and gives it to ``abandon_job``."""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.runtime.test_supervisor import OWNER, Running
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.call_watch import CallInProgress
from wfengine.runtime.engine import Engine
from wfengine.runtime.jobs import PARKED, Job
from wfengine.runtime.states import ProcessState
from wfengine.runtime.supervised_child import decode_line, encode_event
from wfengine.runtime.supervisor import Supervisor

REASON = "ran longer than 3 s (--job-timeout); the worker process running it was stopped"
#: a worker process that writes the event lines it is given, then hangs until killed
CHILD = """
import os, sys, time
out = os.fdopen(int(sys.argv[1]), "wb", buffering=0)
for line in sys.argv[2:]:
    out.write(line.encode() + b"\\n")
while True:
    time.sleep(1)
"""


def _package(*, timer: bool = False) -> PackageBuilder:
    """``main``: (a timer, then) ``call``, which calls ``lookup`` synchronously, then ``after``."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="5").data_field("pin", "STRING", initial="'4321'")
    p.application(
        "lookup",
        params=[("x", "IN", "INTEGER"), ("pin", "IN", "STRING")],
        extended={"wfengine:sensitive": "pin"},
    )
    if timer:
        p.intermediate("wait", timer="PT1M")
        p.transition("wait", "call")
    p.activity("call", tool="lookup", args=["n", "pin"]).activity("after")
    p.transition("call", "after")
    return pb


def test_a_job_observer_is_told_each_call_attempt_as_it_begins(engine: Engine) -> None:
    seen: list[tuple[str, str, list[Job]]] = []
    told_before_called: list[int] = []

    def lookup(x: int, pin: str) -> None:
        told_before_called.append(sum(event == "call" for event, _, _ in seen))
        if len(told_before_called) == 1:
            raise ConnectionError("try again")

    engine.applications.sleep = lambda _s: None  # no real wait between attempts
    engine.applications.register("lookup", lookup, retries=1)
    engine.job_observer = lambda event, owner, jobs: seen.append((event, owner, list(jobs)))
    engine.deploy(_package().build())
    iid = engine.create_instance("main")
    engine.start(iid, defer=True)
    assert engine.run_due_jobs(owner="w:1:x") == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert told_before_called == [1, 2]  # each attempt told before it is made
    assert [event for event, _, _ in seen] == ["claimed", "start", "call", "call", "end"]
    calls = [jobs for event, _, jobs in seen if event == "call"]
    assert engine.jobs(iid) == []
    for attempt, [told] in enumerate(calls, start=1):
        assert told.kind == "continue" and told.instance_id == iid
        call = told.payload
        assert isinstance(call, CallInProgress)
        assert (call.activity_id, call.application_id, call.attempt) == ("call", "lookup", attempt)
        assert call.inputs == {"x": 5, "pin": "***"}  # as audited: the secret hidden
    [invoked, _] = [e for e in engine.audit(iid) if e.kind == "application.invoked"]
    assert invoked.payload.key == calls[0][0].payload.key


@pytest.mark.parametrize("timer", [False, True], ids=["continue job", "timer job"])
def test_a_stopped_call_of_any_job_is_audited_and_named_by_its_incident(
    engine: Engine, timer: bool
) -> None:
    engine.applications.register("lookup", lambda x, pin: None)
    engine.deploy(_package(timer=timer).build())
    iid = engine.create_instance("main")
    engine.start(iid, defer=not timer)
    # claimed as a worker would once it is due (the timer's minute on: claimed as of then,
    # the engine's own clock left where it is, so that it does not fire the timer itself)
    due = engine.clock.now() + timedelta(minutes=1 if timer else 0)
    [job] = engine.store.claim_jobs(OWNER, due, due + timedelta(seconds=60), 1)
    began = engine.clock.now() - timedelta(seconds=3)
    # what the worker told: its activity instance, made by the job's command, never stored
    call = CallInProgress("ai-never-stored", "call", "lookup", 1, "k", {"x": 5, "pin": "***"})
    engine.abandon_job(job.id, REASON, started_at=began, call=call)

    [incident] = engine.incidents(iid)
    assert (incident.activity_id, incident.application_id, incident.attempts) == (
        "call",
        "lookup",
        1,
    )
    assert "while calling application 'lookup' (attempt 1) for activity 'call'" in (
        incident.message
    )
    assert REASON in incident.message and f"({job.kind})" in incident.message
    events = [e for e in engine.audit(iid) if e.kind.startswith("application.")]
    assert [e.kind for e in events] == ["application.invoked", "application.failed"]
    invoked, failed = events
    assert invoked.activity_id == "call" and invoked.activity_instance_id is None
    assert invoked.payload.inputs == {"x": 5, "pin": "***"}
    assert invoked.payload.attempt == 1 and invoked.at == began
    assert failed.payload.attempt == 1 and REASON in failed.payload.error
    [parked] = engine.jobs(iid)
    assert parked.id == job.id and parked.kind == job.kind and parked.due == PARKED

    engine.retry_incident(incident.id)  # the job runs again, as it was
    assert engine.run_due_jobs() == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.incidents(iid) == []


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    with Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}") as engine:
        engine.applications.register("lookup", lambda x, pin: None)
        engine.deploy(_package().build())
        yield engine


def test_a_supervisor_hands_the_call_a_stopped_job_was_making_to_abandon_job(
    sqlite_engine: Engine,
) -> None:
    engine = sqlite_engine
    iid = engine.create_instance("main")
    engine.start(iid, defer=True)
    now = engine.clock.now()
    [job] = engine.store.claim_jobs(OWNER, now, now + timedelta(seconds=60), 1)
    call = CallInProgress("ai-9", "call", "lookup", 2, "k", {"x": 5, "pin": "***"})
    lines = [
        encode_event("claimed", OWNER, [job.id]),
        encode_event("start", OWNER, [job.id]),
        encode_event("call", OWNER, [job.id], call),
    ]

    started: list[int] = []

    def command(fd: int) -> Sequence[str]:  # the first child tells the lines, the next none
        told = [] if started else [x.decode().strip() for x in lines]
        started.append(fd)
        return [sys.executable, "-c", CHILD, str(fd), *told]

    supervisor = Supervisor(command, engine, job_timeout=0.5, timeout_name="--job-timeout")
    running = Running(supervisor)
    running.wait_until("the job is an incident", lambda: bool(engine.incidents(iid)))
    supervisor.on_signal(signal.SIGINT)  # stop (the fresh child hangs until killed)
    supervisor.on_signal(signal.SIGINT)
    running.result()
    [incident] = engine.incidents(iid)
    assert (incident.activity_id, incident.application_id, incident.attempts) == (
        "call",
        "lookup",
        2,
    )
    kinds = [e.kind for e in engine.audit(iid) if e.kind.startswith("application.")]
    assert kinds == ["application.invoked", "application.failed"]


def test_a_call_event_line_round_trips_with_its_inputs() -> None:
    at = datetime(2030, 1, 5, 9, 30, tzinfo=UTC)
    call = CallInProgress("ai-1", "call", "lookup", 3, "pi-1:k", {"when": at, "pin": "***"})
    line = encode_event("call", OWNER, ["job-1"], call)
    assert decode_line(line) == ("call", OWNER, ["job-1"], call)
    assert decode_line(encode_event("start", OWNER, ["job-1"])) == (
        "start",
        OWNER,
        ["job-1"],
        None,
    )
    told = json.loads(line)
    del told["call"]  # a call event must say its call
    assert decode_line(json.dumps(told).encode()) is None
