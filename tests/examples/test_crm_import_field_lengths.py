"""The customer import refuses a field longer than the customer table keeps, naming the row,
and stores an empty ``value`` cell as ``standard``. Before, a 239-character address (one the
intake takes: up to 254) or a name over 200 characters was kept whole by SQLite and, on
PostgreSQL, refused the whole import with the database's DataError naming no row; and an
empty ``value`` cell of a spreadsheet was stored as ``""``, though none given is ``standard``."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.examples.test_crm_complaint import crm_module
from wfengine.errors import DataTypeError

LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 2) + "." + "c" * 40 + ".example.com"


@pytest.mark.parametrize(
    ("field", "given", "length", "longest"),
    [
        ("email", LONG_EMAIL, 239, 200),
        ("name", "N" * 201, 201, 200),
        ("value", "v" * 21, 21, 20),
    ],
)
def test_a_field_longer_than_its_column_is_refused_naming_the_row(
    tmp_path: Path, field: str, given: str, length: int, longest: int
) -> None:
    assert crm_module.email_address(LONG_EMAIL) == LONG_EMAIL  # the intake takes it
    crm = crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}")
    rows = [{"phone": "13800000102", "name": "Li Na"},
            {"phone": "13800000104", "name": "Wei", field: given}]  # fmt: skip
    with pytest.raises(DataTypeError) as refused:
        crm.add_customers(rows)
    assert str(refused.value) == (
        f"customer row 2 (phone 13800000104): {field} is {length} characters long (as the CRM "
        f"keeps it), longer than the {longest} the customer table keeps; shorten it; no "
        "customer was added"
    )
    with crm.db.connect() as conn:
        assert conn.execute(sa.select(crm_module.customers)).all() == []


@pytest.mark.parametrize("cell", ["", "  "])
def test_an_empty_value_cell_is_standard(tmp_path: Path, cell: str) -> None:
    crm = crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}")
    crm.add_customers([{"phone": "13800000102", "name": "Li Na", "value": cell},
                       {"phone": "13800000104", "name": "Wei", "value": "gold"}])  # fmt: skip
    with crm.db.connect() as conn:
        values = dict(
            conn.execute(
                sa.select(crm_module.customers.c.phone, crm_module.customers.c.value)
            ).all()
        )
    assert values == {"13800000102": "standard", "13800000104": "gold"}
