"""An activity that closes while an incident holds it (an interrupting boundary event, a
synchronous deadline, an operator's ``cancel_activity``) ends the incident in the trail too:
``incident.aborted`` on the incident's activity, before the activity's own closing, naming the
operator who cancelled it (None: the engine), as closing an instance records each of its open
incidents. So does a Complex join firing past its incident. The outbox told
``incident.resolved`` (resolution ``activity_closed``) while the trail said only that the
incident opened. Every store (the ``engine`` fixture, whose ``check_history`` also holds every
test's trail to ending each incident it opened)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.definition.model import GatewayType, Join
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.history import IncidentAborted

OPS = "ops-anna"


def _failing(*, deadline: bool = False, boundary: bool = False) -> PackageBuilder:
    """``bad``: a script that divides by zero (an incident holds it), then ``after``; with a
    synchronous deadline (exception ``Late``, to ``late``) or a boundary timer (to ``late``)
    of an hour."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    deadlines = [("PT1H", "Late", "SYNCHR")] if deadline else []
    p.activity("bad", script="n = 1 / n", deadlines=deadlines)
    p.activity("after").activity("late")
    p.transition("bad", "after").transition("bad", "late", exception="Late")
    if boundary:
        p.intermediate("give_up", timer="PT1H", attached_to="bad").transition("give_up", "late")
    return pb


def _resolutions(engine: Engine) -> list[str | None]:
    return [
        r.payload.get("resolution")
        for r in engine.outbox.entries()
        if r.kind == "incident.resolved"
    ]


def _ended(engine: Engine, iid: str) -> list[str]:
    """The incident events and the closing of ``bad``, in trail order."""
    return [
        e.kind
        for e in engine.audit(iid)
        if e.kind.startswith("incident.") or (e.activity_id == "bad" and e.kind[:9] == "activity.")
    ]


def test_a_boundary_event_interrupting_the_activity_ends_its_incident(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = run(engine, _failing(boundary=True))
    (incident,) = engine.incidents(iid)
    clock.advance(timedelta(hours=2))
    engine.run_due_jobs()
    assert engine.incidents(iid) == [] and "late" in engine.trace(iid)
    assert _resolutions(engine) == ["activity_closed"]
    assert _ended(engine, iid) == [
        "activity.started",
        "incident.opened",
        "incident.aborted",
        "activity.aborted",
    ]
    (event,) = [e for e in engine.audit(iid) if e.kind == "incident.aborted"]
    assert event.payload == IncidentAborted(incident.id)  # the engine's doing: no user
    assert (event.user, event.activity_id) == (None, "bad")
    assert event.activity_instance_id == incident.activity_instance_id


def test_a_synchronous_deadline_ends_the_incident_of_its_activity(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = run(engine, _failing(deadline=True))
    (incident,) = engine.incidents(iid)
    clock.advance(timedelta(hours=2))
    engine.run_due_jobs()
    assert "late" in engine.trace(iid)
    assert _resolutions(engine) == ["activity_closed"]
    assert _ended(engine, iid) == [
        "activity.started",
        "incident.opened",
        "incident.aborted",
        "activity.terminated",
    ]
    (event,) = [e for e in engine.audit(iid) if e.kind == "incident.aborted"]
    assert event.payload == IncidentAborted(incident.id)


@pytest.mark.parametrize("user", [OPS, None])
def test_cancelling_the_activity_ends_its_incident_naming_who_cancelled(
    engine: Engine, user: str | None
) -> None:
    iid = run(engine, _failing())
    (incident,) = engine.incidents(iid)
    assert incident.activity_instance_id is not None
    engine.cancel_activity(iid, incident.activity_instance_id, user=user)
    assert engine.incidents(iid) == []
    assert _resolutions(engine) == ["activity_closed"]
    (event,) = [e for e in engine.audit(iid) if e.kind == "incident.aborted"]
    assert event.payload == IncidentAborted(incident.id, user)
    assert event.user == user
    named = [e.kind for e in engine.audit_events(instance_id=iid, user=OPS)]
    assert ("incident.aborted" in named) is (user is not None)


def test_a_complex_join_firing_ends_its_incident(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("need", "INTEGER")
    p.activity("m", performer="clerk", loop=multi_instance("3", flow="None"))
    p.activity("j", join=Join(type=GatewayType.COMPLEX, incoming_condition="arrived >= need"))
    p.activity("after")
    p.transition("m", "j").transition("j", "after")
    iid = run(engine, pb)
    first, second, _third = engine.work_items(iid)
    engine.complete_work_item(first.id)
    (incident,) = engine.incidents(iid)  # 'need' is not set: the condition cannot be evaluated
    engine.set_data(iid, {"need": 2})
    engine.complete_work_item(second.id)
    assert "after" in engine.trace(iid) and engine.incidents(iid) == []
    (event,) = [e for e in engine.audit(iid) if e.kind == "incident.aborted"]
    assert event.payload == IncidentAborted(incident.id)
    assert (event.activity_id, event.activity_instance_id) == ("j", None)
