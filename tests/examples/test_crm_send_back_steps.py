"""The engine's generic send-back to the CRM example's automatic steps. Before, a send-back
to ``ask`` texted the customer an empty question (``coordinate`` clears ``question`` as it
begins), and one to ``route_department`` or ``file_opinion`` stopped the case in an incident
(no department named). Now ``ask`` asks the question last sent again, and the department
steps give the department its turn again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.examples.test_crm_complaint import PHONE, Desk, _accepted, crm_module, desk

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


@pytest.mark.parametrize("target", ["ask", "new_question"])
def test_sent_back_to_ask_the_customer_is_asked_the_question_again(desk: Desk, target: str) -> None:
    iid = _accepted(desk, agent="amy")
    desk.do(iid, "coordinate", "cora", decision="ask_customer", question="Which card?")
    desk.clock.advance(timedelta(days=3))  # no answer: the three days run out
    assert desk.engine.instance(iid).data["customer_timed_out"] is True
    desk.do(iid, "coordinate", "cora", decision="reply")
    item = desk.item(iid, "agent_reply")
    desk.engine.claim_work_item(item.id, "amy")
    desk.engine.send_back_work_item(item.id, "amy", target, "the customer must be asked again")
    texts = [m["text"] for m in desk.crm.sent(PHONE)]
    assert texts[-2:] == ["Your complaint 0101-0001: Which card?"] * 2
    assert desk.engine.incidents(iid) == []
    data = desk.engine.instance(iid).data
    assert (data["customer_timed_out"], data["customer_info"]) == (False, "")
    assert crm_module.customer_reply(desk.engine, iid, "The Visa")  # the answer awaited
    assert desk.engine.instance(iid).data["customer_info"] == "The Visa"
    desk.item(iid, "coordinate")


@pytest.mark.parametrize("target", ["route_department", "file_opinion"])
def test_sent_back_to_the_department_steps_the_department_has_its_turn_again(
    desk: Desk, target: str
) -> None:
    iid = _accepted(desk, agent="amy")
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing",
            opinion="check the charge")  # fmt: skip
    desk.do(iid, "department", "eva", dept_outcome="done", next_department="network")
    desk.do(iid, "department", "fay", dept_outcome="cannot", opinion="not ours")
    item = desk.item(iid, "coordinate")
    desk.engine.send_back_work_item(item.id, "cora", target, "look again")
    assert desk.engine.incidents(iid) == []
    # route_department: the last turn's department; file_opinion: the round's first
    expected = {"route_department": ("network", "fay"), "file_opinion": ("billing", "eva")}
    department, desk_user = expected[target]
    assert desk.engine.instance(iid).data["department"] == department
    assert desk.item(iid, "department").assignees == (desk_user,)
    desk.do(iid, "department", desk_user, dept_outcome="done")
    desk.item(iid, "coordinate")
