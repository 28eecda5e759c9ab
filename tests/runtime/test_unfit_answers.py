"""An application's answer that does not fit: the incident says what was called and how often,
and nothing of the answer reaches the data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine


def _lookup(out_type: str = "INTEGER", field_type: str = "INTEGER") -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("qty", field_type, initial="0")
    p.application("lookup", params=[("code", "OUT", out_type)])
    p.activity("call", tool="lookup", args=["qty"]).activity("after").transition("call", "after")
    return pb


@pytest.mark.parametrize(
    "answer", [{"code": "many"}, {}, {"nope": 1}], ids=["wrong-type", "missing", "unknown"]
)
@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_the_incident_of_an_answer_that_does_not_fit_counts_the_attempts_made(
    engine: Engine, clock: VirtualClock, answer: dict[str, Any], asynchronous: bool
) -> None:
    calls: list[int] = []

    def lookup() -> dict[str, Any]:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("down")  # the first attempt fails, the second answers
        return answer

    engine.applications.register("lookup", lookup, retries=2, asynchronous=asynchronous)
    engine.applications.sleep = lambda seconds: None
    iid = run(engine, _lookup())
    for _ in range(2):  # (asynchronous: the worker's two attempts, the second after a delay)
        engine.run_due_jobs()
        clock.advance(timedelta(hours=1))
    [incident] = engine.incidents(iid)
    assert len(calls) == 2
    assert incident.application_id == "lookup" and incident.activity_id == "call"
    assert incident.attempts == 2
    audited = [e.payload.attempt for e in engine.audit(iid) if e.kind == "application.invoked"]
    assert audited == [1, 2]
    assert engine.instance(iid).data["qty"] == 0
