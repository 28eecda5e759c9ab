"""The customer table's e-mail addresses are addresses, kept as the intake keeps one. The
import (``CrmApps.add_customers``) refuses a row whose ``email`` is no address with a
``DataTypeError`` naming the row (nothing stored) and keeps an internationalised domain in
its ASCII form; ``lookup_customer`` reads the table's address the same way, so a row an
earlier import kept (any text) stops a web case in the ``email`` incident before it is
numbered. Before, a web case was numbered and its number "sent" to ``'not an address'``, and
a table address at ``例子.中国`` reached the channel un-encoded while the same typed at the
intake was sent to ``xn--fsqu00a.xn--fiqs8s``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.examples.test_crm_complaint import Desk, crm_module, desk
from wfengine.errors import DataTypeError

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

IDN, ASCII = "Wei@例子.中国", "Wei@xn--fsqu00a.xn--fiqs8s"


def _emails(crm: Any) -> dict[str, str | None]:
    with crm.db.connect() as conn:
        return {r.phone: r.email for r in conn.execute(sa.select(crm_module.customers))}


def test_the_import_refuses_a_row_whose_email_is_no_address(tmp_path: Path) -> None:
    crm = crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}")
    rows = [{"phone": "13800000102", "name": "Li Na", "email": "li.na@example.com"},
            {"phone": "13800000104", "name": "C", "email": "not an address"}]  # fmt: skip
    with pytest.raises(DataTypeError) as refused:
        crm.add_customers(rows)
    assert str(refused.value).startswith(
        "customer row 2 (phone 13800000104): email: 'not an address' is not an e-mail address"
    )
    assert str(refused.value).endswith("no customer was added")
    assert _emails(crm) == {}


def test_the_import_keeps_an_address_as_the_intake_does_and_an_empty_cell_as_none(
    tmp_path: Path,
) -> None:
    crm = crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}")
    crm.add_customers([{"phone": "13800000105", "name": "D", "email": f"  {IDN} "},
                       {"phone": "13800000106", "name": "E", "email": ""},
                       {"phone": "13800000107", "name": "F", "email": "  "},
                       {"phone": "13800000108", "name": "G"}])  # fmt: skip
    assert _emails(crm) == {"13800000105": ASCII, "13800000106": None,
                            "13800000107": None, "13800000108": None}  # fmt: skip
    assert crm_module.email_address(IDN) == ASCII  # the intake's form of it


def _stored_as_before(desk: Desk, phone: str, email: str) -> None:
    """A customer row as an earlier import kept it (the address unchecked)."""
    with desk.crm.db.begin() as conn:
        key = crm_module.phone_key(phone)
        conn.execute(crm_module.customers.insert().values(phone=key, name="C", email=email))


def test_a_web_case_whose_table_address_is_no_address_stops_before_it_is_numbered(
    desk: Desk,
) -> None:
    _stored_as_before(desk, "13800000104", "not an address")
    iid = desk.engine.start_process(
        "complaint", {"phone": "13800000104", "channel": "web", "text": "Charged twice"}
    )
    [incident] = desk.engine.incidents(iid)
    assert incident.activity_id == "lookup_customer"
    assert "raised PermanentApplicationError: email: a web complaint needs" in incident.message
    assert "'not an address', is no e-mail address" in incident.message
    assert desk.engine.instance(iid).data["acceptance_no"] is None
    assert desk.crm.sent("13800000104") == []


def test_a_table_address_reaches_the_channel_as_a_typed_one_does(desk: Desk) -> None:
    _stored_as_before(desk, "13800000105", IDN)
    typed = desk.intake(phone="13800000105", channel="web", email=IDN)
    from_table = desk.engine.start_process(
        "complaint", {"phone": "13800000105", "channel": "web", "text": "Charged twice"}
    )
    assert [desk.engine.instance(i).data["email"] for i in (typed, from_table)] == [ASCII] * 2
    assert [m["address"] for m in desk.crm.sent("13800000105")] == [ASCII] * 2


def test_a_hotline_case_whose_table_address_is_no_address_goes_on_without_one(
    desk: Desk,
) -> None:
    """Its notices go by SMS; on a landline they are recorded as not deliverable, as for a
    customer with no address, not written to that text."""
    _stored_as_before(desk, "010 5550 0104", "not an address")
    iid = desk.intake(phone="010 5550 0104")
    assert desk.engine.incidents(iid) == []
    assert desk.engine.instance(iid).data["customer_name"] == "C"  # the table's row
    assert desk.engine.instance(iid).data["email"] is None
    [notice] = desk.crm.sent("010 5550 0104", channel=crm_module.UNDELIVERABLE)
    assert notice["address"] == ""
