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


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_an_answer_the_field_it_is_written_to_does_not_take_is_an_incident(
    engine: Engine, asynchronous: bool
) -> None:
    # the formal parameter is a STRING, the field it writes an INTEGER: the field's own type
    # decides what it holds, as for a script's assignment or a person's data
    engine.applications.register("lookup", lambda: {"code": "n/a"}, asynchronous=asynchronous)
    iid = run(engine, _lookup(out_type="STRING", field_type="INTEGER"))
    engine.run_due_jobs()
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "call" and incident.application_id == "lookup"
    assert "OUT parameter 'code' for data field 'qty'" in incident.message
    assert "expected INTEGER, got str 'n/a'" in incident.message
    assert engine.instance(iid).data["qty"] == 0  # nothing written
    assert engine.trace(iid) == []

    engine.applications.register("lookup", lambda: {"code": " 7 "}, asynchronous=asynchronous)
    engine.retry_incident(incident.id)
    engine.run_due_jobs()
    assert engine.instance(iid).data["qty"] == 7  # converted where that loses nothing
    assert engine.trace(iid) == ["call", "after"]


def test_an_answer_for_a_wider_field_is_stored_as_that_field_takes_it(engine: Engine) -> None:
    engine.applications.register("lookup", lambda: {"code": "3"})
    iid = run(engine, _lookup(out_type="INTEGER", field_type="FLOAT"))
    value = engine.instance(iid).data["qty"]
    assert value == 3.0 and isinstance(value, float)


def test_a_value_of_a_sensitive_field_it_does_not_take_is_not_quoted(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("pin", "INTEGER", extended={"wfengine:sensitive": "true"})
    p.application("lookup", params=[("code", "OUT", "STRING")])
    p.activity("call", tool="lookup", args=["pin"])
    engine.applications.register("lookup", lambda: {"code": "secret-1234"})
    iid = run(engine, pb)
    [incident] = engine.incidents(iid)
    assert "data field 'pin'" in incident.message and "secret-1234" not in incident.message


def _subflow(result: str) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    child = pb.process("child", params=[("cin", "IN", "INTEGER"), ("cout", "OUT", "STRING")])
    child.activity("cs", script=f"cout = {result}")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="7").data_field("res", "INTEGER", initial="5")
    p.subflow("sf", process="child", args=["n", "res"])
    p.activity("z", script="res = res + 1")
    p.transition("sf", "z")
    return pb


def test_a_subflow_result_the_callers_field_does_not_take_is_an_incident(
    engine: Engine,
) -> None:
    iid = run(engine, _subflow('"r" + str(cin)'))
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "sf" and incident.operation == "run"
    assert "OUT parameter 'cout' for data field 'res'" in incident.message
    assert "expected INTEGER, got str 'r7'" in incident.message
    assert engine.instance(iid).data["res"] == 5  # nothing written
    assert engine.trace(iid) == []
    # the operator may give the result the subflow should have given
    engine.skip_incident(incident.id, {"res": 70})
    assert engine.instance(iid).data["res"] == 71


def test_a_subflow_result_is_stored_as_the_callers_field_takes_it(engine: Engine) -> None:
    iid = run(engine, _subflow("str(cin * 2)"))
    assert engine.incidents(iid) == []
    assert engine.instance(iid).data["res"] == 15  # "14" as an INTEGER, then the script's + 1
