"""Three CRM phone findings (review R9). A float's zero fraction written in Arabic-Indic digits
(``١٣٨٠٠٠٠٠١٠١.٠``) passed the intake again since e92d533 (its pattern had an ASCII ``0``) and
was keyed with a 12th digit; a dotted mobile whose last group is all zeros (``1380000.0000``)
was refused as a decimal number. The customer import given a phone as a number (what a
spreadsheet column gives) raised a bare ``TypeError`` naming no row. ``lookup_customer`` of
no phone advised setting the number "under it"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.examples.test_crm_complaint import Desk, crm_module, desk
from wfengine import PermanentApplicationError
from wfengine.errors import DataTypeError

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

ARABIC = "\u0661\u0663\u0668\u0660\u0660\u0660\u0660\u0660\u0661\u0660\u0661"  # 13800000101
PERSIAN = "\u06f1\u06f3\u06f8\u06f0\u06f0\u06f0\u06f0\u06f0\u06f1\u06f0\u06f1"


@pytest.mark.parametrize(
    "phone", [ARABIC + ".\u0660", PERSIAN + ".\u06f0\u06f0", "13800000101.00", "1.38E10"]
)
def test_a_float_written_in_any_digits_is_refused_at_intake(desk: Desk, phone: str) -> None:
    with pytest.raises(DataTypeError, match=r"^phone: .* reads as a decimal number"):
        desk.intake(agent="amy", phone=phone)


@pytest.mark.parametrize(
    ("phone", "key"), [("1380000.0000", "13800000000"), ("138.0000.0101", "13800000101")]
)
def test_a_dotted_phone_ending_in_zeros_is_taken_and_keyed(
    desk: Desk, phone: str, key: str
) -> None:
    iid = desk.intake(agent="amy", phone=phone)
    assert desk.engine.instance(iid).data["phone"] == key


def _crm(tmp_path: Path) -> Any:
    return crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}")


@pytest.mark.parametrize(("phone", "kind"), [(13800000101.0, "float"), (True, "bool")])
def test_the_import_refuses_a_phone_that_is_no_text_naming_the_row(
    tmp_path: Path, phone: object, kind: str
) -> None:
    crm = _crm(tmp_path)
    rows = [
        {"phone": "13900000202", "name": "Li Na", "value": "gold"},
        {"phone": phone, "name": "Wei Zhang", "value": "gold"},
    ]
    with pytest.raises(DataTypeError) as refused:
        crm.add_customers(rows)
    message = str(refused.value)
    assert message.startswith(f"customer row 2: phone {phone!r} is a {kind}, not text")
    assert message.endswith("no customer was added")
    assert crm.lookup_customer("13900000202", "hotline")["found_name"] == "new customer"


def test_the_import_keys_a_whole_number_as_the_digits_it_writes(tmp_path: Path) -> None:
    crm = _crm(tmp_path)
    crm.add_customers([{"phone": 8613800000101, "name": "Wei Zhang", "value": "gold"}])
    assert crm.lookup_customer("138 0000 0101", "hotline")["found_name"] == "Wei Zhang"


def test_the_import_refuses_a_whole_number_too_long_by_its_size(tmp_path: Path) -> None:
    rows = [{"phone": 10**5000, "name": "Wei Zhang", "value": "gold"}]
    with pytest.raises(DataTypeError, match=r"^customer row 1: phone a whole number too long"):
        _crm(tmp_path).add_customers(rows)


def test_the_intake_and_the_import_refuse_a_float_in_the_same_words(
    desk: Desk, tmp_path: Path
) -> None:
    why = crm_module.phones.refusal(13800000101.0)
    with pytest.raises(DataTypeError) as intake:
        desk.intake(agent="amy", phone=13800000101.0)
    assert str(intake.value).startswith(f"phone: {why}; ")
    assert str(intake.value).endswith("nothing was started")
    with pytest.raises(DataTypeError) as imported:
        _crm(tmp_path).add_customers([{"phone": 13800000101.0, "name": "Wei Zhang"}])
    assert str(imported.value).startswith(f"customer row 1: phone {why}; ")


def test_the_lookup_of_no_phone_says_what_to_set(tmp_path: Path) -> None:
    with pytest.raises(PermanentApplicationError) as refused:
        _crm(tmp_path).lookup_customer(None, "hotline")
    message = str(refused.value)
    assert message.startswith("phone: none given")
    assert "under it" not in message
    assert "set it, alone, as written, in the case's phone field" in message
