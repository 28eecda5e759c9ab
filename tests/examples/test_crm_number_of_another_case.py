"""A case started with an acceptance number the CRM gave to another case of the same phone
(a form posting the fields of an earlier case) is given a number of its own. Before, the
number was kept because the CRM had given it under the phone: two cases, one number, and
the customer could not tell which one a reply under it was about."""

from __future__ import annotations

from tests.examples.test_crm_complaint import PHONE, Desk, crm_module, desk

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


def test_a_preset_number_of_another_case_is_not_kept(desk: Desk) -> None:
    first = desk.intake(agent="amy")
    assert desk.engine.instance(first).data["acceptance_no"] == "0101-0001"
    values = {"phone": PHONE, "channel": "hotline", "text": "Another complaint",
              "intake_agent": "amy", "acceptance_no": "0101-0001"}  # fmt: skip
    second = desk.engine.start_process("complaint", values, user="amy")
    data = desk.engine.instance(second).data
    assert (data["acceptance_no"], data["newly_accepted"]) == ("0101-0002", True)
    assert [m["text"] for m in desk.crm.sent(PHONE)] == [
        "Your complaint is number 0101-0001",
        "Your complaint is number 0101-0002",
    ]
    assert crm_module.find_case(desk.engine, PHONE, "0101-0001") == first


def test_a_case_sent_back_to_accept_keeps_its_own_number(desk: Desk) -> None:
    desk.intake(agent="amy")
    second = desk.intake(agent="amy")
    item = desk.item(second, "coordinate")
    desk.engine.claim_work_item(item.id, "cora")
    desk.engine.send_back_work_item(item.id, "cora", "accept", "renumber?")
    data = desk.engine.instance(second).data
    assert (data["acceptance_no"], data["newly_accepted"]) == ("0101-0002", False)
    assert len(desk.crm.sent(PHONE)) == 2  # told once each
