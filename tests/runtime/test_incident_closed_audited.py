"""Closing an instance (abort, terminate) resolves its open incidents, and its trail says so:
``incident.aborted`` naming who closed it, as ``abort_incident`` records its own, before the
``instance.state`` that says how it closed. The outbox told ``incident.resolved`` (resolution
``instance_closed``) while the trail recorded only ``incident.opened``: the case's history
never said the incident ended. Every store (the ``engine`` fixture)."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from tests.runtime.conftest import run
from tests.runtime.failing_call import crm_down, lookup_package
from wfengine.audit import iter_events, process_metrics, write_csv, write_jsonl, write_xes
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.history import IncidentAborted

OPS = "ops-anna"


def _kinds(engine: Engine, iid: str) -> list[str]:
    return [e.kind for e in engine.audit(iid) if e.kind.startswith(("incident.", "instance.st"))]


@pytest.mark.parametrize("user", [OPS, None])
@pytest.mark.parametrize("verb", ["abort", "terminate"])
def test_closing_an_instance_audits_its_open_incident(
    engine: Engine, verb: str, user: str | None
) -> None:
    engine.applications.register("lookup", crm_down)
    iid = run(engine, lookup_package())
    (incident,) = engine.incidents(iid)
    getattr(engine, verb)(iid, user=user)
    assert engine.incidents(iid) == []
    assert _kinds(engine, iid) == [
        "instance.state",
        "incident.opened",
        "incident.aborted",
        "instance.state",
    ]
    (event,) = [e for e in engine.audit(iid) if e.kind == "incident.aborted"]
    assert event.payload == IncidentAborted(incident.id, user)
    assert (event.user, event.activity_id) == (user, "call")
    assert event.activity_instance_id == incident.activity_instance_id
    # the exports still read the trail: every event in CSV and JSON Lines, the failed
    # activity closed with its instance in XES
    events = len(engine.audit(iid))
    assert write_csv(iter_events(engine, instance_id=iid), io.StringIO()) == events
    assert write_jsonl(iter_events(engine, instance_id=iid), io.StringIO()) == events
    out = io.BytesIO()
    write_xes(engine, out, instance_id=iid)
    transitions = [
        {a.get("key"): a.get("value") for a in x}["lifecycle:transition"]
        for x in etree.fromstring(out.getvalue()).iter("event")
    ]
    assert transitions[-1] == "pi_abort"
    figures = process_metrics(engine, "main")  # nothing completed, one instance closed
    assert (figures.activities, figures.started, figures.work_in_progress) == ((), 1, 0)


def test_abort_incident_audits_its_incident_once(engine: Engine) -> None:
    engine.applications.register("lookup", crm_down)
    iid = run(engine, lookup_package())
    (incident,) = engine.incidents(iid)
    engine.abort_incident(incident.id, user=OPS)
    assert _kinds(engine, iid).count("incident.aborted") == 1


def test_a_subflow_closed_with_its_caller_audits_its_incident(engine: Engine) -> None:
    engine.applications.register("lookup", crm_down)
    pb = lookup_package()
    pb.process("caller").subflow("sub", process="main")
    engine.deploy(pb.build())
    caller = engine.start_process("caller")
    (incident,) = engine.incidents()
    assert incident.instance_id != caller
    engine.terminate(caller, user=OPS)
    (event,) = [e for e in engine.audit(incident.instance_id) if e.kind == "incident.aborted"]
    assert event.payload == IncidentAborted(incident.id, OPS)


def test_no_incident_no_record(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("a", performer="clerk")
    iid = run(engine, pb)
    engine.abort(iid)
    assert "incident.aborted" not in _kinds(engine, iid)
