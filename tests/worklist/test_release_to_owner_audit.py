"""A delegate's release gives the work back to its owner; a holder's release puts it back on
offer. The audit trail tells them apart: the first names the owner (``to``), the second names
no one, and its detail is what it always was (a trail written before ``to`` reads as before).
"""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, WorkItemReleased, WorkItemState
from wfengine.runtime.history import read_payload


def _released(e: Engine, iid: str) -> list[tuple[WorkItemReleased, dict[str, object]]]:
    found = []
    for ev in e.audit(iid):
        if ev.kind == "work_item.released":
            assert isinstance(ev.payload, WorkItemReleased)
            found.append((ev.payload, dict(ev.detail)))
    return found


def test_a_release_back_to_the_owner_names_them_and_one_back_on_offer_names_no_one(
    org_engine: Engine,
) -> None:
    e = org_engine
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    e.deploy(pb.build())
    delegated, plain = e.start_process("p"), e.start_process("p")
    (d,), (p,) = e.work_items(delegated), e.work_items(plain)
    e.claim_work_item(d.id, "alice")
    e.delegate_work_item(d.id, "alice", "dan")
    e.release_work_item(d.id, "dan")
    assert (e.work_item(d.id).state, e.work_item(d.id).holder) == (
        WorkItemState.ALLOCATED,
        "alice",
    )
    e.claim_work_item(p.id, "alice")
    e.release_work_item(p.id, "alice")
    assert e.work_item(p.id).state is WorkItemState.OFFERED
    assert _released(e, delegated) == [
        (WorkItemReleased(d.id, "dan", "alice"), {"work_item": d.id, "user": "dan", "to": "alice"})
    ]
    assert _released(e, plain) == [
        (WorkItemReleased(p.id, "alice"), {"work_item": p.id, "user": "alice"})
    ]
    assert [ev.user for ev in e.audit(delegated) if ev.kind == "work_item.released"] == ["dan"]


def test_a_release_recorded_before_to_existed_reads_as_back_on_offer() -> None:
    old = read_payload("work_item.released", {"work_item": "wi-1", "user": "bob"})
    assert old == WorkItemReleased("wi-1", "bob")
    assert old.to is None  # type: ignore[union-attr]
