"""The escalation of late work whose holder has left the organisation: it went to the
holder's supervisors, whom a leaver no longer has, so it reached no one and its incident
blamed "their supervisor". Now a holder the organisation no longer knows does not answer
for the item: those it is offered to do, and it escalates to their supervisors (or the
incident names them, says the holder left and how to offer the work anew)."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.runtime.work_item_events import WorkItemEscalated


def _without_alice(**units: Any) -> Organisation:
    data = copy.deepcopy(ORG)
    data["users"] = [u for u in data["users"] if u["id"] != "alice"]
    for unit in data["units"]:
        unit.update(units.get(unit["id"], {}))
    return Organisation.from_data(data)


def _held_by_a_leaver(e: Engine, directory: Organisation) -> str:
    """An instance whose item alice claimed, alice gone, the item now late."""
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.activity("quote", performer="clerk", extended={"wfengine:escalate-after": "PT4H"})
    e.deploy(pb.build())
    iid = e.start_process("p")
    (item,) = e.work_items(iid)
    e.claim_work_item(item.id, "alice")
    e.directory = directory
    clock = e.clock
    assert isinstance(clock, VirtualClock)
    clock.advance(timedelta(hours=4))
    return iid


def test_a_leavers_late_work_escalates_to_the_supervisors_of_those_it_is_offered_to(
    org_engine: Engine,
) -> None:
    iid = _held_by_a_leaver(org_engine, _without_alice())
    assert org_engine.incidents(iid) == []
    [escalated] = [
        ev.payload for ev in org_engine.audit(iid) if isinstance(ev.payload, WorkItemEscalated)
    ]
    assert (escalated.to, escalated.taken_from) == (("carol",), "alice")
    (item,) = org_engine.work_items(iid)
    assert item.holder is None and "carol" in item.assignees


def test_when_they_have_none_either_the_incident_says_the_holder_left(
    org_engine: Engine,
) -> None:
    iid = _held_by_a_leaver(org_engine, _without_alice(sales={"supervisor": None}))
    [incident] = org_engine.incidents(iid)
    assert "'bob' (its holder 'alice' left: reoffer_work() offers it anew)" in incident.message
    assert "have no supervisor" in incident.message
