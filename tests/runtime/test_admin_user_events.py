"""The events of the operator's commands carry who asked in their payloads (``user``), read
back as written, on every store: ``incident.retried``, ``incident.skipped``,
``incident.aborted``, ``activity.mi_added`` and ``work_item.cancelled``. Without a user each
is stored exactly as before (the bare incident id for a retry or an abort)."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from tests.runtime.failing_call import crm_down, lookup_package
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.runtime.engine import Engine
from wfengine.runtime.history import (
    IncidentAborted,
    IncidentRetried,
    IncidentSkipped,
    MultiInstanceAdded,
    read_payload,
)
from wfengine.runtime.work_item_events import WorkItemCancelled

OPS = "ops-anna"


def _one(engine: Engine, iid: str, kind: str) -> object:
    [event] = [e for e in engine.audit(iid) if e.kind == kind]
    assert event.user == getattr(event.payload, "user", None)  # the header agrees
    return event.payload


@pytest.mark.parametrize("user", [OPS, None])
def test_incident_answers_name_who_gave_them(engine: Engine, user: str | None) -> None:
    engine.applications.register("lookup", crm_down)
    first, second, third = (run(engine, lookup_package()) for _ in range(3))
    retried, skipped, aborted = (engine.incidents(i)[0].id for i in (first, second, third))
    engine.retry_incident(retried, user=user)
    engine.skip_incident(skipped, {"name": "by hand"}, user=user)
    engine.abort_incident(aborted, user=user)
    assert _one(engine, first, "incident.retried") == IncidentRetried(retried, user)
    assert _one(engine, second, "incident.skipped") == IncidentSkipped(
        skipped, {"name": "by hand"}, None, user
    )
    assert _one(engine, third, "incident.aborted") == IncidentAborted(aborted, user)
    if user is None:  # stored as before
        [bare] = [e.detail for e in engine.audit(first) if e.kind == "incident.retried"]
        assert bare == retried


def test_a_skipped_decision_names_who_chose_the_way(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("a", split="Exclusive").activity("b").activity("c")
    p.transition("a", "b", id="to_b", condition="missing > 1").transition("a", "c", id="to_c")
    iid = run(engine, pb)
    [incident] = engine.incidents()
    engine.skip_incident(incident.id, take=["to_c"], user=OPS)
    assert _one(engine, iid, "incident.skipped") == IncidentSkipped(incident.id, {}, ("to_c",), OPS)
    assert [e.kind for e in engine.audit_events(instance_id=iid, user=OPS)] == ["incident.skipped"]


@pytest.mark.parametrize("user", [OPS, None])
def test_adding_an_mi_instance_and_cancelling_name_who_asked(
    engine: Engine, user: str | None
) -> None:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("m", performer="clerk", loop=multi_instance("2"))
    iid = run(engine, pb)
    container = next(a.id for a in engine.activity_instances(iid) if a.mi_index is None)
    engine.add_mi_instance(container, user=user)
    assert _one(engine, iid, "activity.mi_added") == MultiInstanceAdded(3, (), user)
    items = engine.work_items(iid)
    engine.cancel_activity(iid, container, user=user)
    withdrawn = [e.payload for e in engine.audit(iid) if e.kind == "work_item.cancelled"]
    assert withdrawn == [WorkItemCancelled(w.id, user) for w in items]
    listed = sorted(e.kind for e in engine.audit_events(instance_id=iid, user=OPS))
    # the container and its three instances closed, their items withdrawn
    mine = ["activity.aborted"] * 4 + ["activity.mi_added"] + ["work_item.cancelled"] * 3
    assert listed == (mine if user else [])


def test_old_details_read_back_without_a_user() -> None:
    assert read_payload("incident.retried", "inc-1") == IncidentRetried("inc-1")
    assert read_payload("incident.aborted", "inc-1") == IncidentAborted("inc-1")
    old = {"incident": "inc-1", "outputs": {}}
    assert read_payload("incident.skipped", old) == IncidentSkipped("inc-1", {})
    assert read_payload("work_item.cancelled", {"work_item": "w"}) == WorkItemCancelled("w")
    old_mi = {"instances": 3, "fields": []}
    assert read_payload("activity.mi_added", old_mi) == MultiInstanceAdded(3)
    for payload in (IncidentRetried("i", OPS), IncidentSkipped("i", {}, ("t",), OPS)):
        assert read_payload(payload.KIND, payload.detail()) == payload
