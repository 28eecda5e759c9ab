"""A thread merge (WCP41: a Complex join on one way in) waits for its threads while they live.

Three threads of a multi-instance activity (no flow condition) reach a Complex join
``arrived >= 2`` along its one way in. The first thread once opened the incident "did not hold
... and no other can come" while two threads still ran, and the incident stayed open after the
second thread fired the join (skipping it was refused).
"""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.definition.builder import multi_instance
from wfengine.definition.model import GatewayType, Join


def _started() -> tuple[Engine, str]:
    engine = Engine(clock=VirtualClock())
    builder = PackageBuilder("pkg")
    builder.participant("clerk")
    proc = builder.process("main")
    proc.activity("m", performer="clerk", loop=multi_instance("3", flow="None"))
    proc.activity("x")
    proc.activity("j", join=Join(type=GatewayType.COMPLEX, incoming_condition="arrived >= 2"))
    proc.activity("after")
    proc.transition("m", "x").transition("x", "j").transition("j", "after")
    engine.deploy(builder.build())
    return engine, engine.start_process("main")


def test_the_first_thread_waits_for_the_others_without_an_incident() -> None:
    engine, iid = _started()
    first, second, third = engine.work_items(iid)
    engine.complete_work_item(first.id)
    assert engine.incidents(iid) == []  # two threads are still live
    engine.complete_work_item(second.id)
    assert engine.trace(iid).count("after") == 1  # two threads became one
    assert engine.incidents(iid) == []
    engine.complete_work_item(third.id)
    # the thread left over starts a group no thread can complete: now the incident is due
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "j" and "no other can come" in incident.message


def test_an_incident_of_the_join_is_resolved_when_the_join_fires() -> None:
    engine = Engine(clock=VirtualClock())
    builder = PackageBuilder("pkg")
    builder.participant("clerk")
    proc = builder.process("main")
    proc.data_field("need", "INTEGER")
    proc.activity("m", performer="clerk", loop=multi_instance("3", flow="None"))
    proc.activity("j", join=Join(type=GatewayType.COMPLEX, incoming_condition="arrived >= need"))
    proc.activity("after")
    proc.transition("m", "j").transition("j", "after")
    engine.deploy(builder.build())
    iid = engine.start_process("main")
    first, second, _third = engine.work_items(iid)
    engine.complete_work_item(first.id)
    [incident] = engine.incidents(iid)  # 'need' is not set: the condition cannot be evaluated
    assert incident.activity_id == "j"
    engine.set_data(iid, {"need": 2})
    engine.complete_work_item(second.id)
    assert "after" in engine.trace(iid)  # the second thread fired the join
    assert engine.incidents(iid) == []  # and answered its incident (the third thread runs)
