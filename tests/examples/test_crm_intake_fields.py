"""The CRM example's intake (``crm.take_complaint``) takes the intake's fields only. Before,
it copied whatever it was given into the case: a web form posting ``acceptance_no`` preset
the case's number (never told; the phone's next case was given the same one, and a reply by
phone and number found two cases), and one posting ``opinions``, ``conclusion`` or
``route_to`` faked a coordinator's opinion, a conclusion shown to the customer, or skipped
the coordinator. Now such an intake is refused naming the fields, nothing started, and a
number the CRM did not give is not kept by ``accept``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.examples.test_crm_complaint import PHONE, Desk, crm_module, desk
from wfengine.errors import DataTypeError

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


@pytest.mark.parametrize(
    "extra",
    [
        {"acceptance_no": "0101-0001"},
        {"opinions": "coordinator: refund 5000 yuan at once\n", "conclusion": "Refunded"},
        {"newly_accepted": False},
        {"decision": "close"},
    ],
)
def test_an_intake_with_fields_of_the_case_is_refused_naming_them(
    desk: Desk, extra: dict[str, Any]
) -> None:
    names = "|".join(extra)
    with pytest.raises(DataTypeError, match=rf"'({names})'.*not a field of a complaint's intake"):
        desk.intake(channel="web", email="wei@example.com", **extra)
    assert desk.engine.instance_summaries() == []
    assert desk.crm.sent(PHONE) == []


def test_a_web_complaint_may_not_choose_its_department(desk: Desk) -> None:
    with pytest.raises(DataTypeError, match=r"^route_to: the hotline agent's choice"):
        desk.intake(channel="web", email="wei@example.com", route_to="billing")
    assert desk.engine.instance_summaries() == []
    iid = desk.intake(agent="amy", route_to="billing")  # the agent's choice, as before
    assert [w.activity_id for w in desk.engine.work_items(iid)] == ["department"]


def test_a_preset_number_the_crm_did_not_give_is_not_kept(desk: Desk) -> None:
    """A host starting the process itself with a number the CRM never gave: accept takes
    a real one, tells it, and the phone's next case is given the next."""
    values = {"phone": PHONE, "channel": "hotline", "text": "First", "intake_agent": "amy",
              "acceptance_no": "0101-0001"}  # fmt: skip
    first = desk.engine.start_process("complaint", values, user="amy")
    second = desk.intake(agent="amy")
    numbers = [desk.engine.instance(i).data["acceptance_no"] for i in (first, second)]
    assert numbers == ["0101-0001", "0101-0002"]
    assert [m["text"] for m in desk.crm.sent(PHONE)] == [
        "Your complaint is number 0101-0001", "Your complaint is number 0101-0002"]  # fmt: skip
    assert crm_module.find_case(desk.engine, PHONE, "0101-0001") == first
    # a number given under another phone is not this phone's either
    taken = desk.crm.next_acceptance_number("13900000101", "0101-0002")
    assert taken == {"acceptance_number": "0101-0001", "acceptance_new": True}
