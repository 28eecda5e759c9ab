"""The CRM complaint example: a coordinator's form that comes back (``ask_customer`` with an
empty question, ``departments`` with none named, no decision) told the customer "Reviewed by
the coordinator" and set that milestone in the brief status, though the case had not moved.
Now, as for a department's desk, the milestone and its notice come only with a decision that
moves the case on."""

from __future__ import annotations

from typing import Any

import pytest

from tests.examples.test_crm_complaint import PHONE, Desk, desk

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

REVIEWED = "Your complaint 0101-0001: Reviewed by the coordinator"


@pytest.mark.parametrize(
    "form",
    [
        {"decision": "ask_customer", "question": ""},
        {"decision": "ask_customer", "question": "   "},
        {"decision": "departments"},
        {},
    ],
)
def test_a_form_that_comes_back_tells_the_customer_nothing(
    desk: Desk, form: dict[str, Any]
) -> None:
    iid = desk.intake(agent="amy")
    told = len(desk.crm.sent(PHONE))
    desk.do(iid, "coordinate", "cora", **form)
    assert [w.activity_id for w in desk.engine.work_items(iid)] == ["coordinate"]
    assert len(desk.crm.sent(PHONE)) == told
    assert desk.stage(iid) == "Accepted for handling"
    # the decision that moves the case on is the review: told once, the milestone reached
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    assert desk.crm.sent(PHONE)[-1]["text"] == REVIEWED
    assert desk.stage(iid) == "Reviewed by the coordinator"


@pytest.mark.parametrize(
    ("form", "next_step"),
    [
        ({"decision": "ask_customer", "question": "Which card?"}, "await_customer"),
        ({"decision": "departments", "next_department": "billing"}, "department"),
        ({"decision": "amend"}, "amend"),
        ({"decision": "reply"}, "agent_reply"),
        ({"decision": "close", "reply": "Refunded"}, "closed"),
        ({"decision": "abort"}, "aborted"),
    ],
)
def test_every_decision_that_moves_the_case_on_is_the_review(
    desk: Desk, form: dict[str, Any], next_step: str
) -> None:
    iid = desk.intake(agent="amy")
    desk.do(iid, "coordinate", "cora", **form)
    assert next_step in {a.activity_id for a in desk.engine.activity_instances(iid)}
    assert REVIEWED in [m["text"] for m in desk.crm.sent(PHONE)]
