"""A multi-instance activity none of whose instances completed is in ``Engine.trace`` once,
as one of count 0 is (the audit has its ``activity.completed`` either way).

It was: one whose Complex flow condition held on the data before any instance finished
(WCP27, the others cancelled) was left out of the trace, and so was one of count 0 that
left through a retried ``leave`` incident.
"""

from __future__ import annotations

from tests.runtime.conftest import complete_all, run
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.runtime.engine import Engine
from wfengine.runtime.history import EventKind
from wfengine.runtime.states import ProcessState


def _completed(engine: Engine, iid: str) -> list[str | None]:
    return [e.activity_id for e in engine.audit(iid) if e.kind == EventKind.ACTIVITY_COMPLETED]


def _process(count: str, *, data_decides: bool = False, way: str | None = None) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("enough", "BOOLEAN", initial="false")
    p.data_field("limit", "INTEGER")
    if data_decides:
        loop = multi_instance(count, flow="Complex", complex_flow_condition="enough")
        extended = {"wfengine:cancelRemaining": "true"}
    else:
        loop = multi_instance(count, flow="All")
        extended = None
    p.activity("a").activity("m", performer="clerk", loop=loop, extended=extended)
    p.activity("z", performer="clerk")
    p.transition("a", "m").transition("m", "z", condition=way)
    return pb


def test_wcp27_the_data_completing_the_activity_before_any_instance_is_traced(
    engine: Engine,
) -> None:
    iid = run(engine, _process("3", data_decides=True))
    engine.set_data(iid, {"enough": True})  # a person decides: enough done, none finished
    assert _completed(engine, iid) == ["a", "m"]
    assert engine.trace(iid) == ["a", "m"]  # was ["a"]
    complete_all(engine, iid)
    assert engine.trace(iid) == ["a", "m", "z"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_instances_that_completed_are_each_traced_once(engine: Engine) -> None:
    iid = run(engine, _process("2"))
    complete_all(engine, iid, "m")
    complete_all(engine, iid)
    assert engine.trace(iid) == ["a", "m", "m", "z"]


def test_count_0_leaving_through_a_retried_incident_is_traced(engine: Engine) -> None:
    iid = run(engine, _process("0", way="limit > 1"))  # limit unset: the way fails
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "m" and incident.operation == "leave"
    engine.set_data(iid, {"limit": 2})
    engine.retry_incident(incident.id)
    assert engine.incidents(iid) == []
    assert engine.trace(iid) == ["a", "m"]  # was ["a"]
    complete_all(engine, iid)
    assert engine.trace(iid) == ["a", "m", "z"]
