"""A job run again after its host was killed mid-call counts the lost run's claim as an
attempt of the run's first synchronous call only (:func:`wfengine.runtime.job_claims.take`):
it was counted for every call of the job, so a later activity's call, never made before,
lost as many of its retries (B below got 2 calls of its 3 and an incident)."""

from __future__ import annotations

from datetime import timedelta

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _package() -> PackageBuilder:
    """``A`` calls ``first``, then ``B`` calls ``second``, in one job."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="7").data_field("y", "STRING").data_field("z", "STRING")
    p.application("first", params=[("a", "IN", "INTEGER"), ("b", "OUT", "STRING")])
    p.application("second", params=[("a", "IN", "INTEGER"), ("b", "OUT", "STRING")])
    p.activity("A", tool="first", args=["x", "y"])
    p.activity("B", tool="second", args=["x", "z"])
    p.transition("A", "B")
    return pb


def _invoked(engine: Engine, iid: str) -> list[tuple[str, int]]:
    return [
        (e.detail["application"], e.detail["attempt"])
        for e in engine.audit(iid)
        if e.kind == "application.invoked"
    ]


def test_a_later_call_of_a_job_run_again_keeps_its_whole_budget(
    engine: Engine, clock: VirtualClock
) -> None:
    seconds: list[int] = []

    def second(a: int) -> dict[str, str]:
        seconds.append(a)
        if len(seconds) < 3:
            raise ConnectionError("flaky")  # fails twice, the third attempt succeeds
        return {"b": "fine"}

    engine.applications.sleep = lambda s: None
    engine.applications.register("first", lambda a: {"b": "ok"}, retries=2)
    engine.applications.register("second", second, retries=2)
    engine.deploy(_package().build())
    iid = engine.create_instance("main")
    engine.start(iid, defer=True)
    now = clock.now()
    # a host claims the job and dies in A's call: nothing it did is committed
    engine.store.claim_jobs("dead", now, now + timedelta(seconds=1), 10)
    clock.advance(timedelta(seconds=5))
    assert engine.run_due_jobs() == 1
    # A's call counts the lost attempt (audited by the takeover: lost_attempts); B's, never
    # made before, has its three
    assert _invoked(engine, iid) == [
        ("first", 1),
        ("first", 2),
        ("second", 1),
        ("second", 2),
        ("second", 3),
    ]
    assert len(seconds) == 3
    assert engine.incidents(iid) == []
    assert engine.instance(iid).state is ProcessState.COMPLETED
