"""The CRM complaint example refuses an intake without a phone number it can key (left out,
none, ``""``, ``"abc"``) with a ``DataTypeError`` naming ``phone``, before anything starts, as
it refuses every other bad intake value. Before, such a case started and stopped in an
incident at ``lookup_customer``: an open case nobody could number, find or answer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.examples.test_crm_complaint import PHONE, Desk, crm_module, desk
from wfengine.errors import DataTypeError

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

_NOT_GIVEN = object()


@pytest.mark.parametrize("phone", [_NOT_GIVEN, None, "", "   ", "abc", "n/a", "+", "00"])
def test_a_complaint_without_a_phone_number_is_refused_before_it_starts(
    desk: Desk, phone: Any
) -> None:
    values = {"channel": "hotline", "category": "billing", "text": "Charged twice"}
    if phone is not _NOT_GIVEN:
        values["phone"] = phone
    with pytest.raises(DataTypeError, match=r"^phone: .*nothing was started$"):
        crm_module.take_complaint(desk.engine, values, agent="amy")
    assert desk.engine.instance_summaries() == []
    assert desk.crm.sent() == [] and desk.crm.sent(channel=crm_module.UNDELIVERABLE) == []


@pytest.mark.parametrize("phone", [PHONE, "１３８ ００００ ０１０１", "010 5550 0101", "0101"])
def test_a_phone_number_written_any_way_is_taken(desk: Desk, phone: str) -> None:
    """Every spelling the CRM keys is taken, also digits that make no complete number (an
    extension, a typo: the CRM keeps them as they are)."""
    iid = desk.intake(agent="amy", phone=phone)
    assert desk.engine.incidents(iid) == []
    assert desk.engine.instance(iid).data["phone"] == crm_module.phone_key(phone)
