"""A call the supervisor stops (``worker --job-timeout``; so too when its worker process dies
mid-call) is audited as made when it began: its ``application.invoked`` record is dated when the job
started running, its ``application.failed`` with the incident."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.runtime.test_supervisor import OWNER, Running, _children
from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.supervisor import Supervisor


def _invoke_job(engine: Engine) -> tuple[str, str]:
    """An instance waiting for an asynchronous call, and that call's job, claimed in the
    scripted child's name."""
    engine.applications = ApplicationRegistry()
    engine.applications.register("slow", lambda: None, asynchronous=True)
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.application("slow")
    p.activity("call", tool="slow").activity("end").transition("call", "end")
    engine.deploy(pb.build(), check_bindings=False)
    iid = engine.start_process("main")
    now = engine.clock.now()
    (job,) = engine.store.claim_jobs(OWNER, now, now + timedelta(seconds=60), 1)
    assert job.kind == "invoke"
    return iid, job.id


def _records(engine: Engine, iid: str) -> tuple[datetime, datetime]:
    events = engine.audit(iid)
    (invoked,) = [e for e in events if e.kind == "application.invoked"]
    (failed,) = [e for e in events if e.kind == "application.failed"]
    return invoked.at, failed.at


def test_a_call_stopped_for_running_too_long_is_audited_as_invoked_when_it_began(
    tmp_path: Path,
) -> None:
    with Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}") as engine:
        iid, job = _invoke_job(engine)
        before = datetime.now(UTC)
        hangs = [["event", "claimed", [job]], ["event", "start", [job]], ["hang"]]
        supervisor = Supervisor(_children(hangs, [["exit", 0]]), engine, job_timeout=0.5)
        assert Running(supervisor).result() == 0
        assert supervisor.timed_out == 1
        invoked, failed = _records(engine, iid)
        assert before <= invoked  # when it started, not when it was stopped:
        assert failed - invoked >= timedelta(seconds=0.45)  # it ran past the timeout first
