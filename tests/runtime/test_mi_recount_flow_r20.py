"""A sequential multi-instance activity whose re-count failed holds the instance that just
completed by an incident. Its Complex flow condition was still tested when the data changed
meanwhile: with ``wfengine:cancelRemaining`` the held instance, which its person had
completed, was recorded aborted (one command did it: a reviewer completing with
``{"approved": true, "n": 2.5}``), and without it the flow moved on while the incident was
open. Now a completion whose flow condition ends the activity is not held by its count (no
instance follows it), and while a re-count holds the activity its flow condition waits for
the retry."""

from __future__ import annotations

import pytest

from tests.runtime.test_mi_recount_r20 import Engines, engines
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState

__all__ = ["engines"]  # (the fixture, shared)


def _approvals(engine: Engine, cancel: bool) -> str:
    """Three sequential approvals (count ``n``) that end once ``approved``; then ``z``."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("approved", "BOOLEAN", initial="false")
    p.data_field("n", "FLOAT")
    loop = multi_instance(
        "n", ordering="Sequential", flow="Complex", complex_flow_condition="approved"
    )
    extended = {"wfengine:cancelRemaining": "true"} if cancel else None
    p.activity("m", performer="clerk", loop=loop, extended=extended)
    p.activity("z", performer="clerk").transition("m", "z")
    engine.deploy(pb.build())
    return engine.start_process("main", {"n": 3.0})


def _states(engine: Engine, iid: str) -> list[str]:
    """The states of the activity's instances (not its container), in order."""
    return [
        a.state.value
        for a in engine.activity_instances(iid)
        if a.activity_id == "m" and a.mi_index is not None
    ]


def _offered(engine: Engine, iid: str) -> list[str]:
    return sorted(w.activity_id for w in engine.work_items(iid))


def test_a_completion_that_ends_the_activity_is_not_held_by_its_count(
    engines: Engines,
) -> None:
    engine = engines.engine
    iid = _approvals(engine, cancel=True)
    engine.complete_work_item(engine.work_items(iid)[0].id, {"approved": True, "n": 2.5})
    engine = engines.restart()
    assert engine.incidents(iid) == []
    assert _states(engine, iid) == ["closed.completed"]  # as its person completed it
    assert _offered(engine, iid) == ["z"]
    assert engine.trace(iid) == ["m"]


@pytest.mark.parametrize("cancel", [True, False])
def test_the_flow_condition_waits_while_a_failed_recount_holds(
    engines: Engines, cancel: bool
) -> None:
    engine = engines.engine
    iid = _approvals(engine, cancel)
    engine.complete_work_item(engine.work_items(iid)[0].id, {"n": 2.5})
    [incident] = engine.incidents(iid)
    engine.set_data(iid, {"approved": True})  # an operator forcing the completion (WCP27)
    engine = engines.restart()
    assert engine.incidents(iid) == [incident]  # still held: the flow waits for the retry
    assert _states(engine, iid) == ["open.running"]
    assert _offered(engine, iid) == []
    assert engine.trace(iid) == []
    if not cancel:  # the count matters only where an instance follows
        engine.set_data(iid, {"n": 2.0})
    engine.retry_incident(incident.id)
    assert engine.incidents(iid) == []
    assert _states(engine, iid)[0] == "closed.completed"
    # cancelRemaining: the activity ended; else the flow went on and the second one runs
    assert _offered(engine, iid) == (["z"] if cancel else ["m", "z"])
    for item in engine.work_items(iid):
        engine.complete_work_item(item.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED
