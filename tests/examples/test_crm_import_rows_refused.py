"""The customer import (``CrmApps.add_customers``) refuses a row it cannot store with a
``DataTypeError`` naming the row and its phone, and stores none of the rows: a phone given
twice in the import (written two ways: one key), a phone that is a customer's already, a row
without a name. Before, the database refused them, with SQLAlchemy's ``IntegrityError``
naming neither the row nor the phone."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.examples.test_crm_complaint import crm_module
from wfengine.errors import DataTypeError


def _crm(tmp_path: Path) -> Any:
    crm = crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}")
    crm.add_customers([{"phone": "13800000101", "name": "Wei Zhang", "value": "gold"}])
    return crm


def _stored(crm: Any) -> list[tuple[str, str, str]]:
    query = sa.select(crm_module.customers).order_by(crm_module.customers.c.phone)
    with crm.db.connect() as conn:
        return [(r.phone, r.name, r.value) for r in conn.execute(query)]


WEI = [("13800000101", "Wei Zhang", "gold")]


def test_a_phone_twice_in_the_import_names_both_rows_and_the_key(tmp_path: Path) -> None:
    crm = _crm(tmp_path)
    rows = [{"phone": "13800000102", "name": "Li Na"},
            {"phone": "13900000103", "name": "Han Meimei"},
            {"phone": "+86 138 0000 0102", "name": "Li Na (mobile)"}]  # fmt: skip
    with pytest.raises(DataTypeError) as refused:
        crm.add_customers(rows)
    assert str(refused.value).startswith("customer rows 1 and 3: both phone 13800000102 ")
    assert str(refused.value).endswith("no customer was added")
    assert _stored(crm) == WEI


def test_a_phone_that_is_a_customers_already_is_refused_naming_them(tmp_path: Path) -> None:
    crm = _crm(tmp_path)
    rows = [{"phone": "13800000102", "name": "Li Na"},
            {"phone": "0086 138 0000 0101", "name": "Wei again"}]  # fmt: skip
    with pytest.raises(DataTypeError) as refused:
        crm.add_customers(rows)
    assert str(refused.value).startswith(
        "customer row 2: phone 13800000101 is a customer already ('Wei Zhang')"
    )
    assert str(refused.value).endswith("no customer was added")
    assert _stored(crm) == WEI


@pytest.mark.parametrize("name", [None, "", "  "])
def test_a_row_without_a_name_is_refused(tmp_path: Path, name: str | None) -> None:
    crm = _crm(tmp_path)
    row: dict[str, Any] = {"phone": "13800000102"} if name is None else {
        "phone": "13800000102", "name": name}  # fmt: skip
    with pytest.raises(DataTypeError) as refused:
        crm.add_customers([{"phone": "13900000103", "name": "Han Meimei"}, row])
    assert str(refused.value).startswith("customer row 2 (phone 13800000102): no name; ")
    assert _stored(crm) == WEI


def test_a_spreadsheet_export_is_stored_as_before(tmp_path: Path) -> None:
    """Columns the table has not (a city) are left out; an empty value cell, like none
    given, is a standard customer (test_crm_import_field_lengths)."""
    crm = _crm(tmp_path)
    sheet = tmp_path / "customers.csv"
    sheet.write_text("phone,name,value,city\n13800000201,Li Lei,gold,Beijing\n"
                     "13800000202,Han Meimei,,Shanghai\n", encoding="utf-8")  # fmt: skip
    with sheet.open(encoding="utf-8", newline="") as f:
        crm.add_customers(csv.DictReader(f))
    crm.add_customers([{"phone": "13800000203", "name": "Lin Tao"}])
    assert _stored(crm) == [*WEI, ("13800000201", "Li Lei", "gold"),
                            ("13800000202", "Han Meimei", "standard"),
                            ("13800000203", "Lin Tao", "standard")]  # fmt: skip
