"""The CRM complaint example: what reaches the customer, and how it is counted: an SMS goes
to a mobile only, a late reply adds to the earlier ones, a department that cannot handle the
case tells the customer nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.examples.test_crm_complaint import PHONE, Desk, crm_module, desk

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

LANDLINE = "010 5550 0101"


def test_an_sms_goes_to_a_mobile_a_landline_is_told_by_e_mail_or_not_at_all(desk: Desk) -> None:
    """A hotline customer on a landline was 'told' by SMS at the CRM's key (``1055500101``,
    no number at all): now the notice goes by e-mail when the case has an address, else it
    is recorded as not deliverable (never as sent), and the case goes on."""
    iid = desk.intake(agent="amy", phone=LANDLINE)
    assert desk.crm.sent(LANDLINE) == []
    [stuck] = desk.crm.sent(LANDLINE, channel=crm_module.UNDELIVERABLE)
    assert stuck["text"] == "Your complaint is number 0101-0001"
    assert [w.activity_id for w in desk.engine.work_items(iid)] == ["coordinate"]
    desk.intake(agent="amy", phone="+86 10 5550 0102", email="li@example.com")
    assert [(m["channel"], m["address"]) for m in desk.crm.sent("01055500102")] == [
        ("email", "li@example.com")
    ]
    desk.intake(agent="amy")  # a mobile: by SMS, to its 11 digits
    assert [(m["channel"], m["address"]) for m in desk.crm.sent(PHONE)] == [("sms", "13800000101")]


def test_late_replies_add_up_on_the_case(desk: Desk) -> None:
    """A second late reply replaced the first (the coordinator read only the last): now each
    is kept, a line each, in order."""
    iid = desk.intake(agent="amy")
    desk.do(iid, "coordinate", "cora", decision="ask_customer", question="Which card?")
    desk.clock.advance(timedelta(days=3, minutes=1))  # the wait ran out
    assert crm_module.customer_reply(desk.engine, iid, "the Visa") is False
    assert crm_module.customer_reply(desk.engine, iid, "ending 4242") is False
    assert desk.engine.instance(iid).data["customer_info"] == "the Visa\nending 4242"


@pytest.mark.parametrize("outcome", ["cannot", "back"])
def test_a_department_that_did_not_handle_the_case_tells_the_customer_nothing(
    desk: Desk, outcome: str
) -> None:
    """A desk that cannot handle the case (or sends it back) told the customer "Handled by
    a department" and set that milestone: now neither, until a department is done."""
    iid = desk.intake(agent="amy")
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    desk.do(iid, "department", "eva", dept_outcome=outcome)
    assert not any("Handled" in m["text"] for m in desk.crm.sent(PHONE))
    assert desk.stage(iid) == "Reviewed by the coordinator"
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="network")
    desk.do(iid, "department", "fay", dept_outcome="done")
    assert desk.crm.sent(PHONE)[-1]["text"] == "Your complaint 0101-0001: Handled by a department"
    assert desk.stage(iid) == "Handled by a department"
