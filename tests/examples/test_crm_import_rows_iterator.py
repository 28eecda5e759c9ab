"""The CRM's customer import (``CrmApps.add_customers``) takes its rows as any iterable, read
once: a ``csv.DictReader`` over the CRM's export. Since 522d289 it read them twice, so an
iterator raised a bare ``ValueError`` from ``zip`` and stored no customer."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import sqlalchemy as sa

from tests.examples.test_crm_complaint import crm_module

EXPORT = "phone,name,value\n13800000101,Wei Zhang,gold\n+86 139 0000 0202,Li Na,silver\n"


def test_customers_read_from_a_csv_reader_are_stored_and_found(tmp_path: Path) -> None:
    crm = crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}")
    crm.add_customers(csv.DictReader(io.StringIO(EXPORT)))
    with crm.db.connect() as conn:
        stored = [(r.phone, r.name) for r in conn.execute(sa.select(crm_module.customers))]
    assert stored == [("13800000101", "Wei Zhang"), ("13900000202", "Li Na")]
    assert crm.lookup_customer("139 0000 0202", "hotline")["found_name"] == "Li Na"
