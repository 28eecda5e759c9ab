"""What a worker tells its supervisor of the jobs it claimed when the database gives up under
one of them: every claimed job ends (the supervisor no longer renews, warns about or gives
back jobs that thread will never run), and the supervisor stops renewing a lease it lost."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.errors import StoreUnavailableError
from wfengine.runtime.engine import Engine
from wfengine.runtime.job_book import JobBook
from wfengine.runtime.jobs import Job


def test_a_run_the_database_failed_under_ends_every_job_it_claimed(tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("a").activity("b").transition("a", "b")
    with Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}") as engine:
        engine.deploy(pb.build())
        for _ in range(4):
            engine.start_process("main", defer=True)
        book = JobBook()
        engine.job_observer = lambda event, owner, jobs: book.note(
            event, owner, [j.id for j in jobs], 0.0
        )
        real = engine._run_job
        runs: list[str] = []

        def second_fails(job: Job, owner: str) -> bool:
            runs.append(job.id)
            if len(runs) == 2:
                raise StoreUnavailableError("the database went away")
            return real(job, owner)

        engine._run_job = second_fails  # type: ignore[method-assign]
        with pytest.raises(StoreUnavailableError):
            engine.run_due_jobs()
        assert len(runs) == 2  # the other two were never run by this call
        assert book.claimed() == {}  # nothing left for a supervisor to renew or give back
        assert engine.held_jobs() == []


class _Engine:
    """A supervisor's engine: renewing keeps only ``kept``."""

    def __init__(self, kept: Sequence[str]) -> None:
        self.kept = list(kept)
        self.asked: list[list[str]] = []

    def renew_leases(self, ids: Sequence[str], owner: str, lease: Any) -> list[str]:
        self.asked.append(sorted(ids))
        return [i for i in ids if i in self.kept]


def test_a_lease_lost_is_warned_about_once_and_no_longer_renewed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from datetime import timedelta

    from wfengine.runtime.supervisor import Supervisor

    engine = _Engine(kept=[])
    supervisor = Supervisor(lambda _fd: ["true"], engine, lease=timedelta(seconds=60))  # type: ignore[arg-type]
    supervisor.book.note("claimed", "w:1", ["job-1", "job-2", "job-3"], 0.0)
    supervisor.book.note("start", "w:1", ["job-1"], 0.0)
    supervisor._pump = lambda _timeout: None  # type: ignore[method-assign]
    with caplog.at_level(logging.WARNING, logger="wfengine.supervisor"):
        for _ in range(3):
            supervisor._renew()
    assert caplog.text.count("lost the leases") == 1
    assert engine.asked == [["job-1", "job-2", "job-3"]]
    # the running one is still followed (its timeout still stops it); the others are let go
    assert supervisor.book.claimed() == {"w:1": ["job-1"]}
    supervisor.book.note("end", "w:1", ["job-1"], 0.0)
    supervisor.book.note("start", "w:1", ["job-4"], 0.0)  # a later job is renewed
    supervisor._renew()
    assert engine.asked[-1] == ["job-4"]
