"""An escalation that reached no one parks its job behind a ``job`` incident; a re-offer
(``reoffer_work``, ``wfengine org load``) that withdraws the item ends its escalation jobs,
and now resolves that incident with them (it stayed open, and no retry could commit)."""

from __future__ import annotations

import copy
from datetime import timedelta

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.worklist.organisation import Organisation

_NO_SUPERVISOR = {
    "users": [
        {"id": "alice", "roles": ["clerk"], "units": ["desk"]},
        {"id": "bob", "roles": ["clerk"], "units": ["desk"]},
    ],
    "units": [{"id": "desk"}],
    "roles": [{"id": "clerk"}],
}


def _mended() -> Organisation:
    """The organisation the operator fixes it to: a supervisor, and one more clerk."""
    data = copy.deepcopy(_NO_SUPERVISOR)
    data["users"] += [
        {"id": "frank", "roles": ["clerk"], "units": ["desk"]},
        {"id": "sue", "units": ["hq"]},
    ]
    data["units"] = [{"id": "hq", "supervisor": "sue"}, {"id": "desk", "parent": "hq"}]
    return Organisation.from_data(data)


def test_a_reoffer_resolves_the_escalation_incident_of_the_item_it_withdraws(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.directory = Organisation.from_data(_NO_SUPERVISOR)
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.start("s").activity("answer", performer="clerk", extended={"wfengine:escalate-after": "PT4H"})
    p.end("e").sequence("s", "answer", "e")
    iid = run(engine, pb)
    clock.advance(timedelta(hours=4))
    [incident] = engine.incidents(iid)
    assert incident.operation == "job"
    engine.directory = _mended()
    trail = len(engine.audit(iid))
    [reoffered] = engine.reoffer_work()
    assert engine.incidents(iid) == []
    assert "work_item.cancelled" in [ev.kind for ev in engine.audit(iid)][trail:]
    told = [
        r.payload["resolution"]
        for r in engine.outbox.entries(instance_id=iid)
        if r.kind == "incident.resolved" and r.payload["incident_id"] == incident.id
    ]
    assert told == ["activity_closed"]
    [item] = engine.work_items(iid)
    assert item.id == reoffered.replaced_by
    # the new item keeps the replaced one's schedule: its escalation, due (and parked) since
    # the fourth hour, is due now, when the mended organisation may answer it (before, a
    # re-offer counted it afresh: four hours more for work already late)
    assert [(j.kind, j.due) for j in engine.jobs(iid)] == [("reminder", clock.now())]
    engine.complete_work_item(item.id, user="frank")
    assert engine.instance(iid).state.value == "closed.completed"
