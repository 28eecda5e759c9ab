"""renew_leases and run_due_jobs check the job ids and the lease they are given, on every
store alike. ``renew_leases("job-1", owner)`` renewed the id letter by letter (``[]``: the
lease "lost" though it was held), a lease of zero or less was stored as already ended (a
second engine claimed the job while the first ran it: the application called twice), and
``lease=60`` failed as a bare TypeError from the clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.jobs import Job

MINUTE = timedelta(minutes=1)


@pytest.fixture(params=("memory", "sqlite"))
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=VirtualClock(), db_url=url) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("main")
        p.start("s").route("r").end("e").transition("s", "r").transition("r", "e")
        e.deploy(pb.build())
        yield e


def _held(engine: Engine, owner: str) -> Job:
    """A due job ``owner`` holds for a minute (a run in progress, as another engine sees it)."""
    engine.start_process("main", defer=True)
    now = engine.clock.now()
    [job] = engine.store.claim_jobs(owner, now, now + MINUTE, 10)
    return job


def _still_held(engine: Engine) -> bool:
    """Whether no other claimant can take the job now (its lease has not ended)."""
    now = engine.clock.now()
    return engine.store.claim_jobs("B", now, now + MINUTE, 10) == []


@pytest.mark.parametrize(
    ("arguments", "error", "says"),
    [
        ({"lease": timedelta(0)}, ValueError, r"renew_leases\(lease=\.\.\.\) must be above zero"),
        ({"lease": -timedelta(hours=1)}, ValueError, "must be above zero"),
        ({"lease": 60}, TypeError, r"renew_leases\(lease=\.\.\.\) takes a timedelta"),
        ({"owner": 7}, TypeError, "renew_leases: owner must be a user id"),
    ],
)
def test_renew_leases_refuses_a_lease_that_would_end_or_break(
    engine: Engine, arguments: dict[str, Any], error: type[Exception], says: str
) -> None:
    job = _held(engine, "A")
    with pytest.raises(error, match=says):
        engine.renew_leases([job.id], **{"owner": "A", **arguments})
    assert _still_held(engine)  # the lease the run holds is untouched


def test_renew_leases_refuses_one_job_id_as_a_string(engine: Engine) -> None:
    job = _held(engine, "A")
    with pytest.raises(TypeError, match="renew_leases: job_ids: a collection of job ids"):
        engine.renew_leases(job.id, owner="A")
    assert engine.renew_leases([job.id], owner="A") == [job.id]
    assert engine.renew_leases(iter([job.id]), owner="A") == [job.id]  # any iterable


@pytest.mark.parametrize("lease", [timedelta(0), -timedelta(hours=1)])
def test_run_due_jobs_refuses_a_lease_not_above_zero(engine: Engine, lease: timedelta) -> None:
    engine.start_process("main", defer=True)
    with pytest.raises(ValueError, match=r"run_due_jobs\(lease=\.\.\.\) must be above zero"):
        engine.run_due_jobs(owner="A", lease=lease)
    assert [j.lock_owner for j in engine.jobs()] == [None]  # nothing claimed, nothing ran
