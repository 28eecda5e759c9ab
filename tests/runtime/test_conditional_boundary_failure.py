"""A conditional boundary event whose condition fails to evaluate is an incident on the event
(as on a conditional catch event), one while it is open; its activity goes on meanwhile."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, ProcessState


def _guarded(engine: Engine) -> str:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("v", "INTEGER", initial="0")
    p.activity("work", performer="clerk")
    p.intermediate("cond", condition="10 / v > 1", attached_to="work")
    p.activity("after").transition("cond", "after")
    engine.deploy(pb.build())
    return engine.start_process("main")


def test_a_failing_condition_is_one_incident_until_it_holds(engine: Engine) -> None:
    i = _guarded(engine)
    engine.set_data(i, {"v": 0})
    engine.set_data(i, {"v": 0})  # tested again: still the one incident
    (incident,) = engine.incidents(i)
    assert incident.activity_id == "cond" and "division by zero" in incident.message
    engine.retry_incident(incident.id)  # tested again, fails again: a new one
    (again,) = engine.incidents(i)
    assert again.id != incident.id
    engine.set_data(i, {"v": 2})  # holds now: the event fires, its activity closes
    assert "after" in engine.trace(i)
    assert engine.incidents(i) == []
    assert engine.instance(i).state is ProcessState.COMPLETED


def test_the_activity_goes_on_beside_the_incident(engine: Engine) -> None:
    i = _guarded(engine)
    engine.set_data(i, {"v": 0})
    assert len(engine.incidents(i)) == 1
    (item,) = engine.work_items(i)
    engine.complete_work_item(item.id)
    assert engine.instance(i).state is ProcessState.COMPLETED
    assert engine.incidents(i) == []  # resolved as its activity closed
