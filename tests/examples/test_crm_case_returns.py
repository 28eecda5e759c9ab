"""The CRM complaint example: a case that comes back (a send-back to an earlier step, the
customer, a department) keeps what it should and forgets what it should: one acceptance
number, no repeated decision, no stale instruction."""

from __future__ import annotations

import pytest

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


def test_sent_back_from_the_agent_the_coordinators_form_forgets_the_last_decision(
    desk: Desk,
) -> None:
    """The agent named to reply sends the work back with the engine's generic send-back: the
    coordinator's form comes back without the decision and the agent named, so submitting
    it unchanged hands the case to nobody (the form comes back again)."""
    iid = desk.intake(agent="amy")
    desk.do(iid, "coordinate", "cora", decision="reply", reply_agent="ben", opinion="Apologise")
    item = desk.item(iid, "agent_reply")
    desk.engine.claim_work_item(item.id, "ben")
    desk.engine.send_back_work_item(item.id, "ben", "coordinate", "A billing matter")
    values = desk.engine.work_item_data(desk.item(iid, "coordinate").id).values
    assert (values["decision"], values["reply_agent"], values["opinion"]) == (None, None, "")
    desk.do(iid, "coordinate", "cora")  # submitted unchanged
    assert [w.activity_id for w in desk.engine.work_items(iid)] == ["coordinate"]


def test_the_coordinators_instruction_to_the_agent_is_not_filed_for_the_departments(
    desk: Desk,
) -> None:
    """The opinion written with ``amend`` is the agent's instruction: back with the
    coordinator it is gone, and the departments do not read it as the coordinator's."""
    iid = desk.intake(agent="amy")
    desk.do(iid, "coordinate", "cora", decision="amend", opinion="Add the invoice number")
    desk.do(iid, "amend", "amy", text="Charged twice, invoice 117")
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    assert "invoice number" not in desk.engine.instance(iid).data["opinions"]


@pytest.mark.parametrize("question", ["", "   "])
def test_asking_the_customer_nothing_brings_the_form_back(desk: Desk, question: str) -> None:
    """``ask_customer`` with no question sent the customer an empty message and waited three
    days: now nothing is sent and the coordinator's form comes back."""
    iid = desk.intake(agent="amy")
    sent = len(desk.crm.sent(PHONE))
    desk.do(iid, "coordinate", "cora", decision="ask_customer", question=question)
    assert len(desk.crm.sent(PHONE)) == sent  # not even a review: the form came back
    assert [w.activity_id for w in desk.engine.work_items(iid)] == ["coordinate"]
    assert "ask" not in desk.engine.trace(iid)
    desk.do(iid, "coordinate", "cora", decision="ask_customer", question="Which invoice?")
    assert desk.crm.sent(PHONE)[-1]["text"] == "Your complaint 0101-0001: Which invoice?"


def test_asking_again_without_a_new_question_sends_nothing(desk: Desk) -> None:
    """Back with the coordinator after the customer's answer, ``ask_customer`` with the form
    otherwise unchanged sent the customer the old question again: the question is cleared
    as the form comes back, so the form comes back once more and nothing is sent."""
    iid = desk.intake(agent="amy")
    desk.do(iid, "coordinate", "cora", decision="ask_customer", question="Which invoice?")
    assert crm_module.customer_reply(desk.engine, iid, "Invoice 117") is True
    values = desk.engine.work_item_data(desk.item(iid, "coordinate").id).values
    assert values["question"] == ""
    sent = len(desk.crm.sent(PHONE))
    desk.do(iid, "coordinate", "cora", decision="ask_customer")
    assert len(desk.crm.sent(PHONE)) == sent
    assert [w.activity_id for w in desk.engine.work_items(iid)] == ["coordinate"]
    assert desk.engine.trace(iid).count("ask") == 1


def test_a_desks_leftover_next_department_routes_no_later_choice(desk: Desk) -> None:
    """A desk that cannot handle the case typed a next department anyway: back with the
    coordinator the form forgets it, so ``departments`` chosen with none named brings the
    form back rather than routing the case to the desk's leftover choice."""
    iid = desk.intake(agent="amy")
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="sales")
    desk.do(iid, "department", "gus", dept_outcome="cannot", opinion="Not ours",
            next_department="billing")  # fmt: skip
    values = desk.engine.work_item_data(desk.item(iid, "coordinate").id).values
    assert values["next_department"] is None
    desk.do(iid, "coordinate", "cora", decision="departments", opinion="Please look")
    assert [w.activity_id for w in desk.engine.work_items(iid)] == ["coordinate"]
    assert desk.engine.instance(iid).data["department"] == "sales"  # the last turn's, no new one
