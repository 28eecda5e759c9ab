"""An asynchronous application is not called for a job the engine already cancelled or gave to
another claimant. A run claims a batch of jobs (``run_due_jobs`` up to 100, a worker up to its
batch); a job run early in the batch may close the instance or cancel the activity the later
ones serve (an EXCEPTION transition, a boundary timer, a Terminate end), deleting their jobs.
Before, each later job still called its application (money charged, a parcel shipped after
the process took its failure route) and then audited the answer as discarded ("the job was
gone"). The job is read back before the call when the run's commands cancelled it or closed
its instance, or when the claim's lease has passed: gone, or another claimant's, nothing is
called, the same on every store. Otherwise it is not read back (the claim read it)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

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
    """Two engines on one database: the first claims both jobs; its first call outlasts the
    claim's lease, and meanwhile another claimant takes the second job over. The first leaves
    it to that claimant (before, it called as well, for a job no longer its own)."""
    clock = VirtualClock()
    url = store_url(request, kind, tmp_path)
    shipped: list[tuple[str, int]] = []
    with Engine(clock=clock, db_url=url) as first, Engine(clock=clock, db_url=url) as other:

        def ship_by(owner: str) -> object:
            def ship(n: int) -> dict[str, object]:
                shipped.append((owner, n))
                if n == 1:  # the lease runs out: the other claimant takes over the second job
                    clock.advance(timedelta(seconds=5))
                    taken = other.store.claim_jobs("other", clock.now(), clock.now(), 10)
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


def test_a_batch_nothing_cancelled_reads_no_job_back_before_its_calls(sql_engine: Engine) -> None:
    """The claim reads each job with its instance (``SqlStore.claim_jobs``); when no command
    of the run cancelled a job and the claim's lease holds, nothing could have taken it, and
    reading each one back before its call cost a round trip per job (500 more for 500
    calls on PostgreSQL). From the first call on, no statement reads a job."""
    engine = sql_engine
    sent: list[str] = []

    def ship(n: int) -> dict[str, object]:
        sent.append(f"call {n}")
        return {}

    engine.applications.register("ship", ship, asynchronous=True)
    engine.deploy(_shipping().build())
    ids = [engine.start_process("order", {"n": n}) for n in range(4)]

    def record(_c: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        sent.append(statement)

    sa_engine = engine.store.sa_engine  # type: ignore[attr-defined]
    sa.event.listen(sa_engine, "before_cursor_execute", record)
    try:
        assert engine.run_due_jobs() == 4
    finally:
        sa.event.remove(sa_engine, "before_cursor_execute", record)
    calls = [s for s in sent if s.startswith("call ")]
    assert calls == ["call 0", "call 1", "call 2", "call 3"]
    after = sent[sent.index("call 0") :]
    assert [s for s in after if s.lstrip().startswith("SELECT") and "FROM jobs" in s] == []
    assert [engine.instance(i).state.value for i in ids] == ["closed.completed"] * 4


def test_a_call_cancelled_by_a_timer_fired_during_an_earlier_call_is_not_made(
    engine: Engine, clock: VirtualClock
) -> None:
    """A deadline fired while a call of the batch runs (the clock moved meanwhile: a run of
    the due timers inside the run of the batch) cancels another order's shipping: that
    order's job, later in the batch, is not called."""
    shipped: list[int] = []

    def ship(n: int) -> dict[str, object]:
        shipped.append(n)
        clock.advance(timedelta(seconds=20))  # both deadlines pass; the lease (60 s) holds
        return {}

    b = PackageBuilder("ship")
    b.application("ship", params=[("n", "IN", "INTEGER")])
    p = b.process("order")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s")
    p.activity("ship", tool="ship", args=["n"], deadlines=[("PT10S", "Late", "SYNCHR")])
    p.end("e")
    p.sequence("s", "ship", "e")
    p.activity("late").transition("ship", "late", exception="Late")
    engine.applications.register("ship", ship, asynchronous=True)
    engine.deploy(b.build())
    ids = [engine.start_process("order", {"n": n}) for n in (1, 2)]
    assert engine.run_due_jobs() == 0  # one claim takes both calls; neither answer applied
    assert shipped == [1]
    assert [engine.trace(i) for i in ids] == [["s", "late"], ["s", "late"]]
    assert "application.invoked" not in [e.kind for e in engine.audit(ids[1])]
