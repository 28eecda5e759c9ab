"""A stopped worker keeps renewing the lease of the job it is finishing.

``Worker.stop()`` (and Ctrl-C in ``run()``) lets each thread finish its current job, but the
lease renewer used to end at once: a job running on longer than the lease lost it, and another
worker could take it over and run it a second time. Now the leases are renewed until the
threads have ended.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState
from wfengine.runtime.worker import Worker

#: the longest the test waits for renewals (every 0.1 s when they happen)
PATIENCE = 10.0


def test_the_job_a_stopped_worker_finishes_keeps_its_lease(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.application("work")
    p.activity("call", tool="work").activity("end").transition("call", "end")
    with Engine(db_url=url) as engine:
        engine.deploy(pb.build(), check_bindings=False)
        instance = engine.start_process("main", defer=True)
    seen: list[datetime] = []
    registry = ApplicationRegistry()

    def work() -> None:
        worker.stop()  # then run on for several leases' worth of renewals
        with Engine(db_url=url) as observer:
            deadline = time.monotonic() + PATIENCE
            while len(set(seen)) < 3 and time.monotonic() < deadline:
                (job,) = observer.jobs()
                assert job.lock_expires_at is not None
                seen.append(job.lock_expires_at)
                time.sleep(0.02)

    registry.register("work", work)
    worker = Worker(
        lambda: Engine(db_url=url, applications=registry),
        lease=timedelta(seconds=0.3),
        poll=0.05,
        batch=1,
    )
    worker.run()
    assert len(set(seen)) == 3, f"the lease was not renewed after stop(): {sorted(set(seen))}"
    with Engine(db_url=url) as engine:
        assert engine.instance(instance).state is ProcessState.COMPLETED
        assert engine.jobs() == []
