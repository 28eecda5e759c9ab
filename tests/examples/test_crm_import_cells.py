"""The customer import's name and value cells: a NUL (spreadsheet junk) was stored by SQLite and
refused by PostgreSQL with a raw error naming no row; a lone surrogate was a raw encoding error;
a list was a raw error on SQLite and '{Li}' on PostgreSQL; a flag was '1' on one and 'true' on the
other. Each is refused now, naming the row, nothing stored; a number is kept as its text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.examples.test_crm_complaint import crm_module
from wfengine.errors import DataTypeError


def _stored(crm: Any) -> list[tuple[str, str, str]]:
    query = sa.select(crm_module.customers).order_by(crm_module.customers.c.phone)
    with crm.db.connect() as conn:
        return [(r.phone, r.name, r.value) for r in conn.execute(query)]


@pytest.mark.parametrize(
    ("field", "given"),
    [("name", "Li\x00Na"), ("name", "Li\udcffNa"), ("name", ["Li"]), ("value", True)],
    ids=["nul", "surrogate", "list", "flag"],
)
def test_a_cell_no_table_keeps_alike_is_refused_naming_the_row(
    tmp_path: Path, field: str, given: Any
) -> None:
    crm = crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}")
    row = {"phone": "13800000102", "name": "Li Na", field: given}
    with pytest.raises(DataTypeError, match=rf"^customer row 2 \(phone 13800000102\): {field} "):
        crm.add_customers([{"phone": "13800000101", "name": "Wang"}, row])
    assert _stored(crm) == []  # (nothing stored: not the first row either)


def test_a_number_is_kept_as_its_text(tmp_path: Path) -> None:
    crm = crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}")
    crm.add_customers([{"phone": "13800000102", "name": 42, "value": 3}])
    assert _stored(crm) == [("13800000102", "42", "3")]
