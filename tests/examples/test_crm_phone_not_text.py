"""The CRM complaint example refuses a phone number given as a float (``13800000101.0``, as a
JSON post or a spreadsheet import gives a number), or as other non-text, with a
``DataTypeError`` naming ``phone``, before anything starts. Before, the engine wrote it as the
text ``"13800000101.0"``, keyed ``138000001010``: another customer, another acceptance
number, an SMS nobody could receive, and a case the customer could not find under their
phone. A whole number (``13800000101``) is taken as the digits it writes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.examples.test_crm_complaint import Desk, crm_module, desk
from wfengine.errors import DataTypeError

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


@pytest.mark.parametrize("phone", [13800000101.0, 1.38e10, True, ["13800000101"]])
def test_a_phone_that_is_no_text_is_refused_before_anything_starts(desk: Desk, phone: Any) -> None:
    with pytest.raises(DataTypeError, match=r"^phone: .* not text: .*nothing was started$"):
        desk.intake(agent="amy", phone=phone)
    assert desk.engine.instance_summaries() == []
    assert desk.crm.sent() == [] and desk.crm.sent(channel=crm_module.UNDELIVERABLE) == []


def test_a_phone_given_as_a_whole_number_is_the_customer_it_writes(desk: Desk) -> None:
    iid = desk.intake(agent="amy", phone=13800000101)
    data = desk.engine.instance(iid).data
    assert (data["phone"], data["customer_name"]) == ("13800000101", "Wei Zhang")
    assert data["acceptance_no"] == "0101-0001"
    assert crm_module.find_case(desk.engine, "+86 138 0000 0101", "0101-0001") == iid
    assert [m["address"] for m in desk.crm.sent("13800000101")] == ["13800000101"]
