"""The CRM complaint example's phone and acceptance-number keys: a spelling of no digits is
no phone number, and an acceptance number is found however its digits are typed."""

from __future__ import annotations

import pytest

from tests.examples.test_crm_complaint import Desk, crm_module, desk

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


@pytest.mark.parametrize("phone", ["+", "00", "＋", "+ ( )", "0086"])
def test_a_phone_of_no_digits_is_no_phone_number(desk: Desk, phone: str) -> None:
    """``"+"`` and ``"00"`` keyed as ``"+"``: such cases were numbered, all under one key.
    Now they are no number, and the intake stops before numbering, naming it."""
    assert crm_module.phone_key(phone) == ""
    iid = desk.intake(agent="amy", phone=phone)
    [incident] = desk.engine.incidents(iid)
    assert "no phone number" in incident.message
    assert desk.engine.instance(iid).data["acceptance_no"] is None
