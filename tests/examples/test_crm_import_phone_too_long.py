"""The CRM's own customer import (``CrmApps.add_customers``) refuses a phone whose key is longer
than the CRM keeps (``phones.KEY_LENGTH``), as the intake and ``lookup_customer`` do, with a
``DataTypeError`` naming the row, its phone and the limit, and stores none of the rows. Before,
it stored such a customer (SQLite keeps the long key), who could never be served: every
complaint under that number was refused at intake or at the lookup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.examples.test_crm_complaint import crm_module
from wfengine.errors import DataTypeError

LIMIT = crm_module.phones.KEY_LENGTH
PASTED = "+86 138 0000 0101 ext. 1234 5678 9012 3456 7890 1234 5"


def _stored(crm: Any) -> list[str]:
    with crm.db.connect() as conn:
        return [row.name for row in conn.execute(sa.select(crm_module.customers))]


def test_a_customer_whose_phone_the_crm_cannot_key_is_refused_and_no_row_stored(
    tmp_path: Path,
) -> None:
    crm = crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}")
    rows = [
        {"phone": "13800000101", "name": "Wei Zhang", "value": "gold"},
        {"phone": PASTED, "name": "Li Na", "value": "gold"},
    ]
    with pytest.raises(DataTypeError) as refused:
        crm.add_customers(rows)
    text = str(refused.value)
    assert text.startswith(f"customer row 2: phone {PASTED!r} is too long")
    assert f"at most {LIMIT}" in text and "no customer was added" in text
    assert _stored(crm) == []


def test_a_customer_whose_phone_is_as_long_as_the_crm_keeps_is_stored_and_found(
    tmp_path: Path,
) -> None:
    crm = crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}")
    phone = "5" * LIMIT
    crm.add_customers([{"phone": phone, "name": "Li Na", "value": "gold"}])
    found = crm.lookup_customer(phone, "hotline")
    assert (found["found_name"], found["found_value"]) == ("Li Na", "gold")
