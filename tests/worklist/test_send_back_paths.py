"""Work sent back, beyond the plain sequence (``test_send_back.py``): who the audit trail
says gave the new item to its earlier performer, loops, multi-instance and subflow
activities sent back to, and what people do with the item afterwards."""

from __future__ import annotations

from tests.worklist.conftest import ORG
from wfengine import (
    Engine,
    Organisation,
    PackageBuilder,
    VirtualClock,
    WorkItemState,
)
from wfengine.runtime.work_item_events import WorkItemAllocated


def _engine() -> Engine:
    return Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG))


def _drafted_and_checked(engine: Engine, **check: str) -> tuple[str, str]:
    """draft (bob) -> check (held by dan): the instance and the check's item."""
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.activity("draft", performer="clerk", writes=["text"])
    p.activity("check", performer="accountant", extended=check or None)
    p.transition("draft", "check")
    engine.deploy(pb.build())
    iid = engine.start_process("p")
    (draft,) = engine.work_items(iid)
    engine.complete_work_item(draft.id, {"text": "v1"}, user="bob")
    (item,) = engine.work_items(iid)
    engine.claim_work_item(item.id, "dan")
    return iid, item.id


def test_the_engine_giving_sent_back_work_is_not_recorded_as_its_performer_claiming_it(
    org_engine: Engine,
) -> None:
    e = org_engine
    iid, check = _drafted_and_checked(e)
    e.send_back_work_item(check, "dan", "draft", "the amount is missing")
    (again,) = e.work_items(iid)
    (given,) = [
        ev
        for ev in e.audit(iid)
        if ev.kind == "work_item.allocated" and ev.work_item_id == again.id
    ]
    assert given.payload == WorkItemAllocated(again.id, None, "bob")
    assert given.user is None  # nobody acted: bob did not claim it
    assert given.payload.holder == "bob"
    assert [ev.kind for ev in e.audit_events(user="bob")] == ["work_item.completed"]
    claimed = [ev for ev in e.audit_events(user="dan") if ev.kind == "work_item.allocated"]
    assert [ev.payload for ev in claimed] == [WorkItemAllocated(check, "dan")]  # a claim is


def test_an_assignment_rule_giving_work_is_recorded_as_the_engines_too() -> None:
    with _engine() as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.activity("write", performer="clerk")
        p.activity("check", performer="clerk", extended={"AssignToPerformerOfActivity": "write"})
        p.transition("write", "check")
        e.deploy(pb.build())
        iid = e.start_process("p")
        (write,) = e.work_items(iid)
        e.complete_work_item(write.id, user="bob")
        (check,) = e.work_items(iid)
        (given,) = [ev for ev in e.audit(iid) if ev.kind == "work_item.allocated"]
        assert (given.user, given.payload) == (None, WorkItemAllocated(check.id, None, "bob"))
        assert e.work_item(check.id).state is WorkItemState.ALLOCATED
