"""CRM phone finding (review R11): 27ed231 refused a zero fraction of one to three places only,
so that ``1380000.0000`` (a mobile written 7-4) is taken; but a spreadsheet's number format of
four or more places (``13800000101.0000``, ``...101.000000``) then passed the intake, keyed
with the format's zeros as digits (``138000001010000``): a key no customer has. The integer
part decides now: 8 digits or more before the dot is a whole number, whatever its zeros."""

from __future__ import annotations

import pytest

from tests.examples.test_crm_complaint import Desk, desk
from wfengine.errors import DataTypeError

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

ARABIC = "\u0661\u0663\u0668\u0660\u0660\u0660\u0660\u0660\u0661\u0660\u0661"  # 13800000101


@pytest.mark.parametrize(
    "phone",
    [
        "13800000101.0000",
        "13800000101.000000",
        "+8613800000101.0000",
        "13800000.0000",
        ARABIC + ".\u0660\u0660\u0660\u0660",
        "0755.000",
    ],
)
def test_a_whole_number_with_a_spreadsheet_zero_fraction_is_refused(desk: Desk, phone: str) -> None:
    with pytest.raises(DataTypeError, match=r"^phone: .* reads as a decimal number"):
        desk.intake(agent="amy", phone=phone)


@pytest.mark.parametrize(
    ("phone", "key"),
    [("1380000.0000", "13800000000"), ("0755.88888888", "75588888888")],
)
def test_a_dotted_phone_of_short_groups_is_still_taken(desk: Desk, phone: str, key: str) -> None:
    iid = desk.intake(agent="amy", phone=phone)
    assert desk.engine.instance(iid).data["phone"] == key
