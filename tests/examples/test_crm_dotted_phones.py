"""The CRM complaint example takes a phone written with a dot between its parts and keys it as
the number it is: the ICANN form ``+86.13800000101``, ``86.13800000101``, a landline
``010.55500101`` or ``0755.88888888``, ``138.00000101``, a stray trailing dot. 585604b refused
them all as decimal numbers (``DataTypeError`` naming ``phone``), though only a float's or a
spreadsheet's writing gains or loses digits: a whole number with a zero fraction
(``13800000101.0``) or scientific notation (``1.38000001E+10``), which are still refused."""

from __future__ import annotations

import pytest

from tests.examples.test_crm_complaint import Desk, crm_module, desk
from wfengine.errors import DataTypeError

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

DOTTED = {
    "+86.13800000101": "13800000101",
    "86.13800000101": "13800000101",
    "138.00000101": "13800000101",
    "13800000101.": "13800000101",
    "\uff11\uff13\uff18\uff10\uff10\uff10\uff10\uff10\uff11\uff10\uff11.": "13800000101",
    "010.55500101": "1055500101",
    "0755.88888888": "75588888888",
}


@pytest.mark.parametrize(("phone", "key"), DOTTED.items())
def test_a_phone_written_with_dots_is_taken_and_keyed_as_its_number(
    desk: Desk, phone: str, key: str
) -> None:
    assert not crm_module.phones.reads_as_decimal(phone)
    iid = desk.intake(agent="amy", phone=phone)
    assert desk.engine.instance(iid).data["phone"] == key


def test_the_ICANN_form_finds_the_customer(desk: Desk) -> None:
    iid = desk.intake(agent="amy", phone="+86.13800000101")
    assert desk.engine.instance(iid).data["customer_name"] == "Wei Zhang"


@pytest.mark.parametrize(
    "phone", ["13800000101.0", "+13800000101.000", "1.38000001E+10", "1e+16", "13800000101E0",
              "\uff11\uff13\uff18\uff10\uff10\uff10\uff10\uff10\uff11\uff10\uff11.\uff10"],
)  # fmt: skip
def test_a_float_or_spreadsheet_number_is_still_refused(desk: Desk, phone: str) -> None:
    with pytest.raises(DataTypeError, match=r"^phone: .* reads as a decimal number"):
        desk.intake(agent="amy", phone=phone)
    assert desk.engine.instance_summaries() == []
