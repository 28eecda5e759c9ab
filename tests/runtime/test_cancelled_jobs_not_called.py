"""An asynchronous application is not called for a job the engine already cancelled or gave to
another claimant. A run claims a batch of jobs (``run_due_jobs`` up to 100, a worker up to its
batch); a job run early in the batch may close the instance or cancel the activity the later
ones serve (an EXCEPTION transition, a boundary timer, a Terminate end), deleting their jobs.
Before, each later job still called its application (money charged, a parcel shipped after
the process took its failure route) and then audited the answer as discarded ("the job was
gone"). The job is read back before the call, once: gone, or another claimant's, nothing is
called, the same on every store."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.runtime.conftest import store_url
from wfengine.definition.build_arguments import multi_instance
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine


def _charging() -> PackageBuilder:
    """Three lines charged by one multi-instance activity, asynchronously; a declined card
    takes the EXCEPTION transition, which cancels the other lines' calls."""
    b = PackageBuilder("shop")
    b.application("charge", params=[("line", "IN", "INTEGER")])
    p = b.process("order")
    p.data_field("line", "INTEGER", initial="0")
    p.start("s")
    p.activity("pay", tool="charge", args=["line"], loop=multi_instance("3", counter="line"))
    p.end("e")
    p.sequence("s", "pay", "e")
    p.activity("refund_all", script="line = -1")
    p.end("failed")
    p.sequence("refund_all", "failed")
    p.transition("pay", "refund_all", exception="ValueError")
    return b


def test_a_call_cancelled_by_an_earlier_job_of_the_batch_is_not_made(engine: Engine) -> None:
    charged: list[int] = []

    def charge(line: int) -> dict[str, object]:
        charged.append(line)
        if line == 0:
            raise ValueError("card declined")
        return {}

    engine.applications.register("charge", charge, asynchronous=True)
    engine.deploy(_charging().build())
    iid = engine.start_process("order")
    assert len(engine.jobs(iid)) == 3
    engine.run_due_jobs()  # one claim takes the three calls
    assert engine.trace(iid) == ["s", "refund_all", "failed"]
    assert charged == [0]  # the other two lines were cancelled with the activity
    kinds = [e.kind for e in engine.audit(iid)]
    assert kinds.count("application.invoked") == 1
    assert "application.discarded" not in kinds
    assert engine.jobs(iid) == []


def _shipping() -> PackageBuilder:
    b = PackageBuilder("ship")
    b.application("ship", params=[("n", "IN", "INTEGER")])
    p = b.process("order")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s")
    p.activity("ship", tool="ship", args=["n"])
    p.end("e")
    p.sequence("s", "ship", "e")
    return b


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_job_taken_over_by_another_claimant_is_not_called_by_the_first(
    request: pytest.FixtureRequest, kind: str, tmp_path: Path
) -> None:
    """Two engines on one database: the first claims both jobs; during its first call the
    second's job has its lease run out and another claimant takes it over. The first leaves
    it to that claimant (before, it called as well, for a job no longer its own)."""
    clock = VirtualClock()
    url = store_url(request, kind, tmp_path)
    shipped: list[tuple[str, int]] = []
    with Engine(clock=clock, db_url=url) as first, Engine(clock=clock, db_url=url) as other:

        def ship_by(owner: str) -> object:
            def ship(n: int) -> dict[str, object]:
                shipped.append((owner, n))
                if n == 1:  # meanwhile the other claimant takes over the second job
                    later = clock.now() + timedelta(seconds=5)
                    taken = other.store.claim_jobs("other", later, later, 10)
                    assert [j.instance_id for j in taken] == [ids[1]]
                return {}

            return ship

        first.applications.register("ship", ship_by("first"), asynchronous=True)
        other.applications.register("ship", ship_by("other"), asynchronous=True)
        first.deploy(_shipping().build())
        ids = [first.start_process("order", {"n": n}) for n in (1, 2)]
        assert first.run_due_jobs("first", lease=timedelta(seconds=1)) == 1
        assert shipped == [("first", 1)]
        assert [j.id for j in first.jobs(ids[1])] != []  # left to the other claimant
        clock.advance(timedelta(seconds=10))
        assert other.run_due_jobs("other") == 1
        assert shipped == [("first", 1), ("other", 2)]
        for iid in ids:
            assert first.instance(iid).state.value == "closed.completed"
            assert "application.discarded" not in [e.kind for e in first.audit(iid)]


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_job_another_engine_cancelled_during_the_batch_is_not_called(
    request: pytest.FixtureRequest, kind: str, tmp_path: Path
) -> None:
    """Two engines on one store (as a Worker's threads each have one): the first claims both
    orders' calls; during the first call the other engine terminates the second order. Its
    call is not made (reading a job back only after the claimant's own cancellations made it,
    the answer then audited as discarded)."""
    from wfengine.runtime.memory_store import MemoryStore

    clock = VirtualClock()
    shipped: list[int] = []
    if kind == "memory":
        store = MemoryStore()
        first, other = Engine(clock=clock, store=store), Engine(clock=clock, store=store)
    else:
        url = store_url(request, kind, tmp_path)
        first, other = Engine(clock=clock, db_url=url), Engine(clock=clock, db_url=url)
    with first, other:

        def ship(n: int) -> dict[str, object]:
            shipped.append(n)
            if n == 1:
                other.terminate(ids[1])
            return {}

        first.applications.register("ship", ship, asynchronous=True)
        other.applications.register("ship", ship, asynchronous=True)
        first.deploy(_shipping().build())
        ids = [first.start_process("order", {"n": n}) for n in (1, 2)]
        first.run_due_jobs("first")

        assert shipped == [1]
        kinds = [e.kind for e in first.audit(ids[1])]
        assert "application.invoked" not in kinds and "application.discarded" not in kinds
