"""The CRM's customer import (``CrmApps.add_customers``) refuses every phone the intake and
``lookup_customer`` refuse (``phones.refusal``), in the same words: a spreadsheet's decimal
number, no digits, none, a key too long. Before, it refused only the too-long key, so a
spreadsheet export stored ``13800000101.0`` under a 12th digit and ``1.38000001E+10`` under a
stranger's mobile, and an empty phone under the key ``""``: customers never served, or
served as someone else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.examples.test_crm_complaint import Desk, crm_module, desk
from wfengine import PermanentApplicationError
from wfengine.errors import DataTypeError

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

REFUSED = ["13800000101.0", "1.38000001E+10", "", "+", None, "5" * 40]


def _crm(tmp_path: Path) -> Any:
    return crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}")


def _stored(crm: Any) -> list[str]:
    with crm.db.connect() as conn:
        return [row.name for row in conn.execute(sa.select(crm_module.customers))]


@pytest.mark.parametrize("phone", REFUSED)
def test_a_phone_the_intake_refuses_is_refused_by_the_import_and_no_row_stored(
    tmp_path: Path, phone: str | None
) -> None:
    crm = _crm(tmp_path)
    rows = [
        {"phone": "13800000101", "name": "Wei Zhang", "value": "gold"},
        {"phone": phone, "name": "Li Na", "value": "gold"},
    ]
    with pytest.raises(DataTypeError) as refused:
        crm.add_customers(rows)
    why = crm_module.phones.refusal(phone)
    assert why is not None
    assert str(refused.value).startswith(f"customer row 2: phone {why}; ")
    assert str(refused.value).endswith("no customer was added")
    assert _stored(crm) == []


@pytest.mark.parametrize("phone", [p for p in REFUSED if p is not None])
def test_the_intake_and_the_lookup_refuse_it_in_the_same_words(desk: Desk, phone: str) -> None:
    why = crm_module.phones.refusal(phone)
    with pytest.raises(DataTypeError) as intake:
        desk.intake(agent="amy", phone=phone)
    assert str(intake.value).startswith(f"phone: {why}; ")
    with pytest.raises(PermanentApplicationError) as lookup:
        desk.crm.lookup_customer(phone, "hotline")
    assert str(lookup.value).startswith(f"phone: {why}; ")


def test_a_dotted_phone_is_stored_under_its_number(tmp_path: Path) -> None:
    crm = _crm(tmp_path)
    crm.add_customers([{"phone": "+86.13900000202", "name": "Li Na", "value": "silver"}])
    assert crm.lookup_customer("139 0000 0202", "hotline")["found_name"] == "Li Na"
