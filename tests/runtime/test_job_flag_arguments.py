"""The job-running API's True/False flags refuse anything else with a TypeError naming the flag.

Why: ``run_due_jobs(deliver="no")`` delivered the outbox, ``Worker(..., until_idle="no")``
ended its threads once nothing was due (a worker meant to run for good stopped at once), and
``has_work(leased="no")`` counted leased jobs: each flag was taken by its truth. A flag read
from a settings file arrives as text; the host must convert it (as the engine's other flags
already required)."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, Worker
from wfengine.definition.model import Package


def _package() -> Package:
    b = PackageBuilder("flags")
    b.participant("clerk")
    p = b.process("main")
    p.start("s")
    p.activity("auto")
    p.activity("a", performer="clerk")
    p.end("e")
    p.sequence("s", "auto", "a", "e")
    return b.build()


@pytest.mark.parametrize("value", ["no", "false", 0, 1])
def test_run_due_jobs_deliver_is_true_or_false_and_nothing_runs(value: Any) -> None:
    with Engine() as engine:
        engine.deploy(_package())
        iid = engine.start_process("main", defer=True)
        with pytest.raises(TypeError, match=r"run_due_jobs: deliver must be True or False"):
            engine.run_due_jobs(deliver=value)
        assert engine.work_items(iid) == []  # refused before any job was claimed
        assert engine.run_due_jobs() == 1  # the job was not left leased
        assert [w.activity_id for w in engine.work_items(iid)] == ["a"]


@pytest.mark.parametrize("value", [None, True, False])
def test_run_due_jobs_takes_its_default_true_and_false(value: bool | None) -> None:
    with Engine() as engine:
        engine.deploy(_package())
        engine.start_process("main", defer=True)
        assert engine.run_due_jobs(deliver=value) == 1


@pytest.mark.parametrize("value", ["no", "false", 0, 1, None])
def test_worker_until_idle_is_true_or_false(value: Any) -> None:
    with pytest.raises(TypeError, match=r"Worker: until_idle must be True or False"):
        Worker(Engine, until_idle=value)


def test_worker_until_idle_true_still_ends_when_idle() -> None:
    with Engine() as engine:
        engine.deploy(_package())
        iid = engine.start_process("main", defer=True)
        Worker(lambda: engine, until_idle=True).run()
        assert [w.activity_id for w in engine.work_items(iid)] == ["a"]


@pytest.mark.parametrize("value", ["no", 0, 1, None])
def test_has_work_leased_is_true_or_false(value: Any) -> None:
    with Engine() as engine, pytest.raises(TypeError, match=r"has_work: leased must be True"):
        engine.has_work(leased=value)
