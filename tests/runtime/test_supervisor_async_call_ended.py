"""What a worker's supervisor makes of an ``invoke`` job it stops depends on what the job's
runner told it of the job's asynchronous call (``call_watch.in_progress``, on the pipe): a job
stopped while the call was in progress is the call's failure (its EXCEPTION transition); one
stopped after the call answered (applying the answer waited on a directory or a lock) is the
job's incident, the answer not taken for a failure.

Why: ``--job-timeout`` bounds the call and the command applying its answer; a payment made,
then stopped while the next activity was offered, was recorded as the application's
``ApplicationTimeoutError`` and took the exception route."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.runtime.test_supervisor import OWNER, _children
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime import call_watch
from wfengine.runtime.call_watch import CallInProgress
from wfengine.runtime.engine import Engine
from wfengine.runtime.supervised_child import decode_line, encode_event
from wfengine.runtime.supervisor import Supervisor

REASON = "ran longer than 3 s (--job-timeout); the worker process running it was stopped"


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("a", "INTEGER", initial="1").data_field("b", "INTEGER", initial="0")
    p.application("app", params=[("x", "IN", "INTEGER"), ("y", "OUT", "INTEGER")])
    p.activity("call", tool="app", args=["a", "b"]).activity("after").activity("handler")
    p.transition("call", "after")
    p.transition("call", "handler", exception="ApplicationTimeoutError")
    return pb


def _through_the_pipe(call: CallInProgress, job_id: str) -> CallInProgress:
    """``call`` as the supervisor reads it from the worker process's event line."""
    found = decode_line(encode_event("call", OWNER, [job_id], call))
    assert found is not None and found[3] is not None
    return found[3]


@pytest.mark.parametrize("answered", [False, True], ids=["in progress", "answered"])
def test_a_stopped_invoke_job_fails_its_call_only_while_it_is_in_progress(
    tmp_path: Path, answered: bool
) -> None:
    with Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}") as engine:
        engine.applications.register("app", lambda x: {"y": 42}, asynchronous=True)
        engine.deploy(_package().build())
        iid = engine.start_process("main")
        now = engine.clock.now()
        [job] = engine.store.claim_jobs(OWNER, now, now + timedelta(seconds=60), 1)
        told: list[CallInProgress] = []
        with call_watch.watching(told.append):  # as the job's runner makes the call
            engine.job_handlers["invoke"].prepare(engine, job)  # type: ignore[union-attr]
        supervisor = Supervisor(_children([["exit", 0]]), engine, job_timeout=3)
        supervisor._note("start", OWNER, [job.id], None)
        for call in told if answered else told[:1]:
            supervisor._note("call", OWNER, [job.id], _through_the_pipe(call, job.id))
        supervisor._abandon(OWNER, job.id, REASON, None)
        if answered:
            assert "handler" not in engine.trace(iid)
            [incident] = engine.incidents(iid)
            assert incident.operation == "job" and "ApplicationTimeoutError" not in incident.message
        else:
            assert engine.trace(iid) == ["handler"] and engine.incidents(iid) == []
