"""The CRM complaint example: the conclusion and proposed solution the customer sees (the brief
status, the web centre's export) are published only when a department's turn ends ``done`` or
the customer is answered. Before, the people's forms wrote the public fields themselves: a
coordinator's draft for the departments, or a desk's note as it could not handle the case,
was in the brief status and the export at once. Now the forms write private drafts
(``draft_conclusion``, ``draft_solution``), each form starting from what the customer sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.examples.test_crm_complaint import Desk, desk, status_export
from wfengine.audit.status import brief_status

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

INTERNAL = {"draft_conclusion": "Known fraudster; refuse", "draft_solution": "Refund 50 if pushed"}


def _public(desk: Desk, iid: str) -> tuple[str, str]:
    fields = brief_status(desk.engine, iid).fields
    return fields["conclusion"], fields["proposed_solution"]


def _exported(desk: Desk, tmp_path: Path) -> dict[str, object]:
    key = status_export.new_key()
    data = status_export.export_statuses(desk.engine, key, 1, desk.clock.now())
    centre = status_export.WebDesk(f"sqlite:///{tmp_path / 'web.db'}", key)
    centre.load(data, desk.clock.now())
    [case] = centre.lookup("13800000101")
    return dict(case.fields)


def test_a_coordinators_draft_for_the_departments_stays_inside(desk: Desk, tmp_path: Path) -> None:
    iid = desk.intake(agent="amy")
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing",
            **INTERNAL)  # fmt: skip
    assert _public(desk, iid) == ("", "")
    exported = _exported(desk, tmp_path)
    assert "fraudster" not in str(exported) and "Refund 50" not in str(exported)
    # the desk's form starts from what the customer sees, not from the coordinator's draft
    item = desk.item(iid, "department")
    assert desk.engine.work_item_data(item.id).values["draft_conclusion"] == ""


@pytest.mark.parametrize("outcome", ["cannot", "back"])
def test_a_desk_that_did_not_handle_the_case_publishes_nothing(desk: Desk, outcome: str) -> None:
    iid = desk.intake(agent="amy")
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    desk.do(iid, "department", "eva", dept_outcome="done", draft_conclusion="Double charge found",
            draft_solution="Refund", next_department="network")  # fmt: skip
    staged = ("Double charge found", "Refund")
    assert _public(desk, iid) == staged  # a real staged conclusion is the customer's to see
    desk.do(iid, "department", "fay", dept_outcome=outcome, **INTERNAL)
    assert _public(desk, iid) == staged
    # whoever has the case next starts from what the customer sees, not the desk's note
    [item] = desk.engine.work_items(iid)
    seen = desk.engine.work_item_data(item.id).values
    assert (seen["draft_conclusion"], seen["draft_solution"]) == staged


def test_the_answer_publishes_what_the_coordinator_or_agent_wrote(desk: Desk) -> None:
    iid = desk.intake(agent="amy")
    desk.do(iid, "coordinate", "cora", decision="reply", draft_conclusion="Coordinator's draft")
    assert _public(desk, iid) == ("", "")
    desk.do(iid, "agent_reply", "amy", reply="Sorry, refunded", draft_conclusion="Refunded",
            draft_solution="Refund of the second charge")  # fmt: skip
    assert _public(desk, iid) == ("Refunded", "Refund of the second charge")
    closed = desk.intake(agent="amy")
    desk.do(closed, "coordinate", "cora", decision="close", reply="Refunded",
            draft_conclusion="Charged twice by mistake")  # fmt: skip
    assert _public(desk, closed) == ("Charged twice by mistake", "")


def test_the_agent_replying_sends_the_coordinators_draft(desk: Desk) -> None:
    """The coordinator deciding ``reply`` writes the conclusion and solution for the agent to
    send: the agent's form reset the drafts from the (empty) public fields, so the customer
    was answered with neither."""
    iid = desk.intake(agent="amy")
    desk.do(iid, "coordinate", "cora", decision="reply", draft_conclusion="Double charge",
            draft_solution="Refund the second charge")  # fmt: skip
    assert _public(desk, iid) == ("", "")  # not the customer's before the answer
    seen = desk.engine.work_item_data(desk.item(iid, "agent_reply").id).values
    assert (seen["draft_conclusion"], seen["draft_solution"]) == (
        "Double charge",
        "Refund the second charge",
    )
    desk.do(iid, "agent_reply", "amy", reply="Sorry, refunded")
    assert _public(desk, iid) == ("Double charge", "Refund the second charge")
