"""A job's command may call the applications of another stored instance: a ``continue`` job
completes a child, and its caller's next Tool runs in the same command. When a supervisor stops
such a run, the caller's call is recorded in the caller's own trail (where its key names it),
and the job's next run numbers it on from there: attempt 2 under the same key.

Before, every call of the stopped run went into the trail of the job's instance (the child's,
under an activity the child does not have), and the next run, reading that trail alone, made
the caller's call again as attempt 1 with the same idempotency key, its first attempt nowhere
in the caller's trail."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.call_watch import CallInProgress
from wfengine.runtime.engine import Engine
from wfengine.runtime.stopped_runs import audit_stopped_run

OWNER = "w1"


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.application("app", params=[("a", "IN", "INTEGER")])
    child = pb.process("child")
    child.activity("w", performer="clerk")
    child.activity("c1", tool="app", args=["1"])
    child.transition("w", "c1")
    main = pb.process("main")
    main.data_field("x", "INTEGER", initial="7")
    main.subflow("sub", process="child")
    main.activity("p1", tool="app", args=["x"])
    main.transition("sub", "p1")
    return pb


def _engine(db: Path) -> Engine:
    engine = Engine(db_url=f"sqlite:///{db}")
    engine.applications.register("app", lambda a: None, retries=2)
    return engine


def _calls(db: Path) -> list[CallInProgress]:
    """The calls the job's run makes, as a supervisor hears them (run on a copy)."""
    told: list[CallInProgress] = []

    def observe(event: str, owner: Any, jobs: Any) -> None:
        if event == "call" and isinstance(jobs[0].payload, CallInProgress):
            told.append(jobs[0].payload)

    copy = db.with_name("copy.db")
    shutil.copyfile(db, copy)
    with _engine(copy) as engine:
        engine.job_observer = observe
        engine.run_due_jobs()
    return told


def test_a_stopped_runs_call_of_the_caller_is_in_the_callers_trail(tmp_path: Path) -> None:
    db = tmp_path / "wf.db"
    with _engine(db) as engine:
        engine.deploy(_package().build())
        main = engine.create_instance("main")
        engine.start(main)
        [item] = [w for i in engine.instances() for w in engine.work_items(i.id)]
        child = item.instance_id
        engine.defer_automatic = True
        engine.complete_work_item(item.id)  # the rest is a continue job of the child
    told = _calls(db)
    # the child's c1, then the caller's p1 (the child completed: its caller goes on)
    assert [c.key.partition(":")[0] for c in told] == [child, main]
    with _engine(db) as engine:
        now = engine.clock.now()
        [job] = engine.store.claim_jobs(OWNER, now, now + timedelta(seconds=60), 1)
        assert job.instance_id == child
        audit_stopped_run(engine, job.id, OWNER, [(c, now) for c in told], "killed", last="x")
        engine.release_jobs([job.id], OWNER, started={job.id})
        engine.clock.now = lambda: now + timedelta(hours=2)  # type: ignore[method-assign]
        engine.run_due_jobs()
        trails = {
            iid: [
                (e.kind, e.activity_id, e.detail.get("attempt"), e.detail.get("key"))
                for e in engine.audit(iid)
                if e.kind.startswith("application.")
            ]
            for iid in (child, main)
        }
    c1, p1 = told[0].key, told[1].key
    assert trails[main] == [
        ("application.invoked", "p1", 1, p1),
        ("application.failed", "p1", 1, None),
        ("application.invoked", "p1", 2, p1),
        ("application.returned", "p1", 2, None),
    ]
    assert trails[child] == [
        ("application.invoked", "c1", 1, c1),
        ("application.discarded", "c1", None, c1),
        ("application.invoked", "c1", 2, c1),
        ("application.returned", "c1", 2, None),
    ]
