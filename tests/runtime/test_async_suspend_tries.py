"""An asynchronous call whose instance is suspended while it runs, and whose answer no store
can hold (so it cannot be kept for the resume, as answers are: test_async_suspend_answer), has
its answer discarded and is made again after resume: its failure then tells the attempts made
from the attempt count (it read "(1 attempt)" with attempts=2)."""

from __future__ import annotations

from datetime import timedelta

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine


class _Unstorable:
    """An answer's value no store can hold."""


def test_a_call_made_again_after_a_suspension_says_so(engine: Engine, clock: VirtualClock) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="7").data_field("y", "STRING")
    p.application("charge", params=[("a", "IN", "INTEGER"), ("b", "OUT", "STRING")])
    p.activity("call", tool="charge", args=["x", "y"])
    calls: list[int] = []
    iid = ""

    def charge(a: int) -> dict[str, object]:
        calls.append(a)
        if len(calls) == 1:
            engine.suspend(iid)  # an operator suspends the case while the call runs
            return {"b": _Unstorable()}
        raise ConnectionError("bank down")

    engine.applications.register("charge", charge, asynchronous=True)
    iid = run(engine, pb)
    engine.run_due_jobs()
    engine.resume(iid)
    engine.run_due_jobs()
    clock.advance(timedelta(seconds=60))
    (incident,) = engine.incidents(iid)
    assert len(calls) == 2 and incident.attempts == 2
    assert "(2 attempts made, 1 allowed)" in incident.message
