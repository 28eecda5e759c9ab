"""The CRM complaint example refuses phone text that reads as a decimal or scientific number,
and a whole number too long to be a phone, with a ``DataTypeError`` naming ``phone``, before
anything starts. Before, a spreadsheet's export (``"13800000101.0"``, ``"1.38000001E+10"``)
passed the intake, which refused only a float: the first keyed a 12th digit, the second a
valid stranger's mobile, who was texted the case's number; a case started otherwise
(``engine.start_process`` given a float) was numbered under such a key too; and a whole
number of over 4,300 digits raised Python's bare ``ValueError`` (it writes no such integer as
text), naming no field."""

from __future__ import annotations

import pytest

from tests.examples.test_crm_complaint import PHONE, Desk, crm_module, desk
from wfengine.errors import DataTypeError

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


def _nothing_started(desk: Desk) -> None:
    assert desk.engine.instance_summaries() == []
    assert desk.crm.sent() == [] and desk.crm.sent(channel=crm_module.UNDELIVERABLE) == []


@pytest.mark.parametrize(
    "phone", ["13800000101.0", "1.38000001E+10", "1.3800000101e10", " 13800000101.00 ",
              "\uff11\uff13\uff18\uff10\uff10\uff10\uff10\uff10\uff11\uff10\uff11.\uff10"],
)  # fmt: skip
def test_phone_text_that_reads_as_a_decimal_number_is_refused(desk: Desk, phone: str) -> None:
    with pytest.raises(DataTypeError, match=r"^phone: .* reads as a decimal number.*nothing was"):
        desk.intake(agent="amy", phone=phone)
    _nothing_started(desk)


def test_a_phone_written_with_dots_between_its_groups_is_taken(desk: Desk) -> None:
    iid = desk.intake(agent="amy", phone="138.0000.0101")
    data = desk.engine.instance(iid).data
    assert (data["phone"], data["customer_name"]) == ("13800000101", "Wei Zhang")


@pytest.mark.parametrize("digits", [33, 5000])
def test_a_whole_number_too_long_for_a_phone_is_refused_naming_phone(
    desk: Desk, digits: int
) -> None:
    with pytest.raises(DataTypeError, match=r"^phone: .*too long for a phone number"):
        desk.intake(agent="amy", phone=10 ** (digits - 1))
    _nothing_started(desk)


def test_a_case_started_otherwise_with_a_float_stops_before_it_is_numbered(desk: Desk) -> None:
    iid = desk.engine.start_process(
        "complaint", {"phone": 13800000101.0, "channel": "hotline", "text": "x"}, user="amy"
    )
    [incident] = desk.engine.incidents(iid)
    assert incident.activity_id == "lookup_customer"
    assert "phone: '13800000101.0' reads as a decimal number" in incident.message
    assert desk.engine.instance(iid).data["acceptance_no"] is None
    assert desk.crm.sent() == [] and desk.crm.sent(channel=crm_module.UNDELIVERABLE) == []
    desk.engine.set_data(iid, {"phone": PHONE})  # corrected, the case goes on
    desk.engine.retry_incident(incident.id)
    assert desk.engine.instance(iid).data["acceptance_no"] == "0101-0001"
