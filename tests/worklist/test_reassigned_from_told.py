"""A supervisor reassigning an item someone holds took their work unheard: the
``work_item.assigned`` entry named only the new holder, and only they were notified (an
escalation's take-back names ``taken_from`` and tells them). Now the entry of a reassignment
names who it was taken from (its holder, the owner who delegated it), and they hear it was
taken from them (a notification of their own, ``taken from you``)."""

from __future__ import annotations

from tests.worklist.test_holder_hears_of_close import _started
from wfengine import Engine
from wfengine.runtime.outbox import OutboxKind


def _assigned(e: Engine, iid: str) -> list[dict[str, object]]:
    entries = e.outbox.entries(instance_id=iid)
    return [r.payload for r in entries if r.kind == OutboxKind.WORK_ITEM_ASSIGNED]


def test_the_holder_a_reassignment_takes_work_from_is_named_and_told(
    org_engine: Engine,
) -> None:
    recorder, iid, item_id = _started(org_engine)
    org_engine.claim_work_item(item_id, "alice")
    org_engine.start_work_item(item_id, "alice")
    org_engine.reassign_work_item(item_id, "carol", "bob")
    org_engine.deliver_outbox()
    last = _assigned(org_engine, iid)[-1]
    assert (last["holder"], last["taken_from"]) == ("bob", ["alice"])
    assert recorder.seen[-2:] == [("allocated", ("bob",)), ("taken from you", ("alice",))]


def test_a_delegate_and_its_owner_both_hear_a_reassignment(org_engine: Engine) -> None:
    recorder, iid, item_id = _started(org_engine)
    org_engine.claim_work_item(item_id, "alice")
    org_engine.delegate_work_item(item_id, "alice", "dan")
    org_engine.reassign_work_item(item_id, "root", "bob")  # (an administrator)
    org_engine.deliver_outbox()
    assert _assigned(org_engine, iid)[-1]["taken_from"] == ["dan", "alice"]
    assert recorder.seen[-2:] == [
        ("allocated", ("bob",)),
        ("taken from you", ("dan", "alice")),
    ]


def test_claims_and_unheld_reassignments_name_no_one_taken_from(org_engine: Engine) -> None:
    recorder, iid, item_id = _started(org_engine)
    org_engine.reassign_work_item(item_id, "carol", "dan")  # nobody held it
    org_engine.release_work_item(item_id, "dan")
    org_engine.claim_work_item(item_id, "alice")
    org_engine.deliver_outbox()
    assert all("taken_from" not in p for p in _assigned(org_engine, iid))
    assert [r for e, r in recorder.seen if e == "allocated"] == [("dan",), ("alice",)]
