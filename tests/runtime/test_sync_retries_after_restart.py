"""A synchronous call inside a job that ran before (its host killed mid-call, the lease run
out, another engine taking the job) counts that run's attempt: its retry budget was fresh,
numbered from 1 again."""

from __future__ import annotations

from datetime import timedelta

from tests.runtime.made_attempts import made_attempts
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.jobs import JOB_CONTINUE


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="7").data_field("y", "STRING")
    p.application("app", params=[("a", "IN", "INTEGER"), ("b", "OUT", "STRING")])
    p.activity("call", tool="app", args=["x", "y"])
    return pb


def test_a_job_run_again_counts_its_earlier_run(engine: Engine, clock: VirtualClock) -> None:
    calls: list[int] = []

    def app(a: int) -> dict[str, str]:
        calls.append(a)
        raise ConnectionError("down")

    engine.applications.sleep = lambda s: None
    engine.applications.register("app", app, retries=2)
    engine.deploy(_package().build())
    iid = engine.create_instance("main")
    engine.start(iid, defer=True)
    now = clock.now()
    # a host claims the job and dies in its call: nothing it did is committed
    [job] = engine.store.claim_jobs("dead", now, now + timedelta(seconds=1), 10)
    assert job.kind == JOB_CONTINUE
    clock.advance(timedelta(seconds=5))
    assert engine.run_due_jobs() == 1
    assert made_attempts(engine, iid) == [2, 3]
    assert len(calls) == 2
    (incident,) = engine.incidents(iid)
    assert "attempt 3 of 3" in incident.message


def test_a_first_run_keeps_the_whole_budget(engine: Engine) -> None:
    engine.applications.sleep = lambda s: None
    engine.applications.register("app", lambda a: 1 / 0, retries=2)
    engine.deploy(_package().build())
    iid = engine.create_instance("main")
    engine.start(iid, defer=True)
    engine.run_due_jobs()
    assert made_attempts(engine, iid) == [1, 2, 3]
