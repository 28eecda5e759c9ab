"""The CRM complaint example: a case that comes back (a send-back to an earlier step, the
customer, a department) keeps what it should and forgets what it should: one acceptance
number, no repeated decision, no stale instruction."""

from __future__ import annotations

from tests.examples.test_crm_complaint import PHONE, Desk, crm_module, desk

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


def test_a_send_back_to_accept_keeps_the_cases_one_acceptance_number(desk: Desk) -> None:
    """Sent back from the coordinator to ``accept``, the case keeps the number the customer
    was told (and is found by it); the customer is not told a second one."""
    iid = desk.intake(agent="amy")
    item = desk.item(iid, "coordinate")
    desk.engine.claim_work_item(item.id, "cora")
    desk.engine.send_back_work_item(item.id, "cora", "accept", "wrong customer details")
    assert desk.engine.instance(iid).data["acceptance_no"] == "0101-0001"
    assert crm_module.find_case(desk.engine, PHONE, "0101-0001") == iid
    told = [m["text"] for m in desk.crm.sent(PHONE)]
    assert told.count("Your complaint is number 0101-0001") == 1
    assert not any("0101-0002" in t for t in told)
    assert desk.crm.next_acceptance_number(PHONE)["acceptance_number"] == "0101-0002"
