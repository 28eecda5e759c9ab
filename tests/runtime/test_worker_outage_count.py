"""A worker's count of the jobs it ran (``worker stopped after N job(s)``) takes in those a
batch committed before an outage ended it: the batch raised, and its count was lost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.errors import StoreUnavailableError
from wfengine.runtime.engine import Engine
from wfengine.runtime.store import Step
from wfengine.runtime.worker import Worker


def test_a_worker_counts_the_jobs_of_a_batch_an_outage_ended(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    pb = PackageBuilder("pkg")
    pb.process("main").activity("a").activity("b").transition("a", "b")
    with Engine(db_url=url) as engine:
        engine.deploy(pb.build())
        for _ in range(6):
            engine.start_process("main", defer=True)
    made: list[Engine] = []

    def make() -> Engine:
        engine = Engine(db_url=url)
        made.append(engine)
        committed: list[str] = []
        stored = engine.store.commit

        def commit(step: Step) -> Any:
            # the first claim is one job; the next batch (5) fails at its 3rd job
            if step.job_done is not None and len(committed) == 3:
                raise StoreUnavailableError("the database failed 6 times in a row (server gone)")
            result = stored(step)
            if step.job_done is not None:
                committed.append(step.job_done)
            return result

        engine.store.commit = commit  # type: ignore[method-assign]
        return engine

    worker = Worker(make, until_idle=True, batch=5)
    with pytest.raises(StoreUnavailableError, match="server gone"):
        worker.run()
    assert worker.ran == 3  # 1 (the first claim) + 2 of the batch the outage ended
