"""The CRM complaint example tells the customer their acceptance number once. Before, the
engine's generic send-back to ``tell_customer`` (the coordinator sending the case back to that
automatic step) texted the number a second time: only the way from ``accept`` was guarded.
Now the CRM sends a case's acceptance number once per phone and number
(``CrmApps.notify_customer``), as a send-back to ``accept`` or to the intake tells nothing."""

from __future__ import annotations

import pytest

from tests.examples.test_crm_complaint import PHONE, Desk, crm_module, desk

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

TOLD = "Your complaint is number 0101-0001"


@pytest.mark.parametrize("target", ["tell_customer", "accept", "intake"])
def test_a_case_sent_back_to_a_numbering_step_is_told_its_number_no_second_time(
    desk: Desk, target: str
) -> None:
    iid = desk.intake(agent="amy")
    assert [m["text"] for m in desk.crm.sent(PHONE)] == [TOLD]
    item = desk.item(iid, "coordinate")
    desk.engine.claim_work_item(item.id, "cora")
    desk.engine.send_back_work_item(item.id, "cora", target, "check it")
    assert desk.engine.incidents(iid) == []
    assert desk.engine.instance(iid).data["acceptance_no"] == "0101-0001"
    assert [m["text"] for m in desk.crm.sent(PHONE)] == [TOLD]
    assert desk.crm.sent(channel=crm_module.UNDELIVERABLE) == []
    desk.item(iid, "coordinate")  # the case goes on


def test_the_next_case_of_the_phone_is_told_its_own_number(desk: Desk) -> None:
    desk.intake(agent="amy")
    desk.intake(agent="amy")
    texts = [m["text"] for m in desk.crm.sent(PHONE)]
    assert texts == [TOLD, "Your complaint is number 0101-0002"]


def test_an_empty_text_is_nothing_to_tell(desk: Desk) -> None:
    desk.crm.notify_customer(PHONE, "hotline", "", idempotency_key="pi-1:tell_customer:1")
    assert desk.crm.sent() == [] and desk.crm.sent(channel=crm_module.UNDELIVERABLE) == []
