"""Jobs given back without being run: a worker stopping with claimed jobs, a supervisor giving
back a dead child's jobs. An asynchronous application's attempts are counted from its job's
claims, so a claim that ran nothing must not count: else a later first call that fails is
final, audited as attempt 2 of 2 though one call was made."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from wfengine.definition.builder import PackageBuilder, standard_loop
from wfengine.errors import ConcurrencyError, StoreUnavailableError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.job_commands import _PREPARED_ROUNDS
from wfengine.runtime.jobs import Job
from wfengine.runtime.states import ProcessState
from wfengine.runtime.store import Step


@pytest.fixture(params=("memory", "sqlite"))
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=VirtualClock(), db_url=url) as e:
        yield e


def _flaky(engine: Engine) -> tuple[str, list[int]]:
    """An instance whose one activity calls an asynchronous application allowed one retry,
    whose first call fails; the instance id and the calls made (a list growing by one a
    call)."""
    calls: list[int] = []

    def flaky() -> dict[str, int]:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("service briefly down")
        return {"x": 1}

    engine.applications.register("flaky", flaky, asynchronous=True, retries=1, backoff=1)
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="0")
    p.application("flaky", params=[("x", "OUT", "INTEGER")])
    p.activity("a", tool="flaky", args=["x"]).activity("after").transition("a", "after")
    engine.deploy(pb.build())
    return engine.start_process("main"), calls


def _retried_to_completion(engine: Engine, iid: str, calls: list[int]) -> None:
    """The first call fails and is retried (attempt 1 of 2), the second completes."""
    assert engine.run_due_jobs() == 1 and len(calls) == 1
    assert engine.incidents(iid) == []
    engine.clock.advance(timedelta(seconds=1))  # type: ignore[attr-defined]
    assert engine.run_due_jobs() == 1 and len(calls) == 2
    assert engine.instance(iid).state is ProcessState.COMPLETED
    invoked = [e.detail["attempt"] for e in engine.audit(iid) if e.kind == "application.invoked"]
    assert invoked == [1, 2]


def test_a_job_given_back_by_a_stopping_worker_uses_up_no_retry(engine: Engine) -> None:
    iid, calls = _flaky(engine)
    for _ in range(3):  # three workers stop before running it
        assert engine.run_due_jobs(should_stop=lambda: True) == 0
    [job] = engine.jobs(iid)
    assert job.attempts == 0 and job.lock_owner is None and calls == []
    _retried_to_completion(engine, iid, calls)


def test_a_dead_workers_unstarted_jobs_given_back_use_up_no_retry(engine: Engine) -> None:
    iid, calls = _flaky(engine)
    now = engine.clock.now()
    [job] = engine.store.claim_jobs("host:1:child", now, now + timedelta(seconds=60), 5)
    engine.release_jobs([job.id], "host:1:child")  # the supervisor, after the child died
    assert engine.jobs(iid)[0].attempts == 0
    _retried_to_completion(engine, iid, calls)


def test_a_job_that_had_started_when_its_worker_was_stopped_keeps_its_attempt(
    engine: Engine,
) -> None:
    iid, _calls = _flaky(engine)
    now = engine.clock.now()
    [job] = engine.store.claim_jobs("host:1:child", now, now + timedelta(seconds=60), 5)
    engine.release_jobs([job.id], "host:1:child", started=[job.id])  # maybe called: counts
    assert engine.jobs(iid)[0].attempts == 1


@pytest.fixture
def sql_engine(tmp_path: Path) -> Iterator[Engine]:
    """An engine on a SQLite file: a lost race rolls its command back (the memory store
    serves one process and never loses one)."""
    with Engine(clock=VirtualClock(), db_url=f"sqlite:///{tmp_path / 'wf.db'}") as e:
        yield e


class _LosingCommits:
    """``store.commit`` of the steps that finish job ``job_id`` loses its race ``losses``
    times (another engine changed the instance first), as on a busy shared database."""

    def __init__(self, engine: Engine, job_id: str, losses: int) -> None:
        self.losses = losses
        self._commit = engine.store.commit
        self._job_id = job_id
        engine.store.commit = self  # type: ignore[method-assign]

    def __call__(self, step: Any) -> Any:
        if step.job_done == self._job_id and self.losses > 0:
            self.losses -= 1
            raise ConcurrencyError(f"job {self._job_id}: another engine changed the instance")
        return self._commit(step)


def _one_call(engine: Engine) -> tuple[str, list[int]]:
    calls: list[int] = []
    engine.applications.register(
        "charge", lambda: calls.append(1) or {}, asynchronous=True, retries=0
    )
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.application("charge")
    p.activity("a", tool="charge").activity("after").transition("a", "after")
    engine.deploy(pb.build())
    return engine.start_process("main"), calls


def test_a_called_job_losing_its_commit_races_is_applied_again_not_called_again(
    sql_engine: Engine,
) -> None:
    engine = sql_engine
    iid, calls = _one_call(engine)
    [job] = engine.jobs(iid)
    engine.max_conflict_retries = 0  # each lost race ends a command
    losing = _LosingCommits(engine, job.id, losses=3)
    assert engine.run_due_jobs() == 1
    assert losing.losses == 0 and calls == [1]
    assert engine.instance(iid).state is ProcessState.COMPLETED
    kinds = [e.kind for e in engine.audit(iid) if e.kind.startswith("application.")]
    assert kinds == ["application.queued", "application.invoked", "application.returned"]


def test_a_called_job_that_never_wins_is_audited_as_discarded_then_given_back(
    sql_engine: Engine,
) -> None:
    engine = sql_engine
    iid, calls = _one_call(engine)
    [job] = engine.jobs(iid)
    engine.max_conflict_retries = 0
    _LosingCommits(engine, job.id, losses=_PREPARED_ROUNDS)
    assert engine.run_due_jobs() == 0 and calls == [1]
    kinds = [e.kind for e in engine.audit(iid) if e.kind.startswith("application.")]
    assert kinds[1:] == ["application.invoked", "application.returned", "application.discarded"]
    [again] = engine.jobs(iid)
    assert again.lock_owner is None and again.attempts == 1  # the call made counts


def test_a_long_runs_stretches_are_held_leased_and_observed_as_the_claim_is(
    engine: Engine,
) -> None:
    """Each stretch of a run longer than commit_every is a continue job this engine runs next:
    leased as long as the claim, named by held_jobs (a worker's lease keeper renews it however
    slow the stretch) and told to the job observer, so no other worker takes it over."""
    engine.limits = replace(engine.limits, commit_every=1)
    held: list[list[str]] = []

    def slow(n: int) -> dict[str, int]:
        held.append(engine.held_jobs())
        return {"n": n + 1}

    engine.applications.register("slow", slow)
    events: list[tuple[str, str, str, Any]] = []
    engine.job_observer = lambda event, owner, jobs: events.extend(
        (event, owner, j.id, j.lock_expires_at) for j in jobs
    )
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.application("slow", params=[("n", "INOUT", "INTEGER")])
    p.activity("a", tool="slow", args=["n"], loop=standard_loop("n < 3")).activity("after")
    p.transition("a", "after")
    engine.deploy(pb.build())
    iid = engine.start_process("main", defer=True)
    lease = timedelta(minutes=10)
    assert engine.run_due_jobs(lease=lease) == 1
    assert engine.instance(iid).data["n"] == 3 and len(held) == 3
    assert engine.instance(iid).state is ProcessState.COMPLETED
    claimed = [(job, until) for event, _, job, until in events if event == "claimed"]
    stretches = [job for job, _ in claimed[1:]]
    assert stretches and all(until == engine.clock.now() + lease for _, until in claimed[1:])
    assert any(job in seen for job in stretches for seen in held)  # renewed with the rest
    for job in stretches:  # (and the call it makes, which a supervisor's timeout follows)
        seen = [e for e, _, j, _ in events if j == job]
        assert seen in (["claimed", "start", "end"], ["claimed", "start", "call", "end"])
    assert engine.held_jobs() == []


def test_a_stored_command_whose_carrying_on_fails_returns_and_leaves_the_run_to_a_worker(
    sql_engine: Engine,
) -> None:
    """start_process's own commit stored the instance and its next stretch; the database
    failing that stretch's commit does not make start_process raise "nothing was changed"
    (the host would start a second instance for one request): the stretch is given back
    for a worker to run."""
    engine = sql_engine
    engine.limits = replace(engine.limits, commit_every=2)
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s").activity("inc", script="n = n + 1").route("r")
    p.activity("desk", performer="clerk")
    p.transition("s", "inc").transition("inc", "r").transition("r", "inc", condition="n < 10")
    p.transition("r", "desk", otherwise=True)
    engine.deploy(pb.build())
    commit = engine.store.commit
    commits: list[Any] = []

    def failing(step: Any) -> Any:
        commits.append(step)
        if len(commits) > 1:  # the disk is full after the command's own commit
            raise StoreUnavailableError("the database wf.db refused the work; nothing was changed")
        return commit(step)

    engine.store.commit = failing  # type: ignore[method-assign]
    iid = engine.start_process("main")
    engine.store.commit = commit  # type: ignore[method-assign]
    assert len(commits) == 2 and [s.id for s in engine.instance_summaries()] == [iid]
    [job] = engine.jobs(iid)
    assert job.kind == "continue" and job.lock_owner is None and engine.held_jobs() == []
    while engine.run_due_jobs():  # a worker carries it on
        pass
    assert engine.instance(iid).data["n"] == 10
    assert [w.activity_id for w in engine.work_items(iid)] == ["desk"]


def test_a_job_of_a_kind_this_engine_cannot_run_is_given_back_with_a_growing_back_off(
    engine: Engine,
) -> None:
    """A job another engine queued (a host's own kind, a newer wfengine's) waits longer after
    each claim by an engine without its handler, not claimed again at once by every poll."""
    pb = PackageBuilder("pkg")
    pb.process("main").activity("desk", performer="clerk")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    now = engine.clock.now()
    with engine.store.unit():
        engine.store.commit(Step(jobs=[Job("job-x", "archive", iid, now, seq=10**6)]))
    waits = []
    for _ in range(3):
        assert engine.run_due_jobs() == 0
        assert engine.run_due_jobs() == 0  # not due again at once
        [job] = engine.jobs(iid)
        assert job.lock_owner is None
        waits.append(job.due - engine.clock.now())
        engine.clock.advance(job.due - engine.clock.now())  # type: ignore[attr-defined]
    assert waits == [timedelta(seconds=2), timedelta(seconds=4), timedelta(seconds=8)]
    engine.job_handlers["archive"] = lambda nav, job, inst: None  # an engine that has it
    assert engine.run_due_jobs() == 1 and engine.jobs(iid) == []


def test_release_jobs_takes_collections_of_job_ids_not_text(engine: Engine) -> None:
    """``started="job-1"`` was tested as a substring ("job-1" in "job-12"), and
    ``job_ids="job-1"`` released letter by letter."""
    with pytest.raises(TypeError, match=r"release_jobs: started: a collection of job ids"):
        engine.release_jobs(["job-12"], "host:1:child", started="job-1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"release_jobs: job_ids: a collection of job ids"):
        engine.release_jobs("job-1", "host:1:child")
