"""The CRM complaint example refuses an intake with a channel or severity of none (null), or
a severity outside 1-3, with a ``DataTypeError`` naming the field, before anything starts.
Before, such a case was numbered and then stopped in an incident (no severity at triage; no
channel: the customer never told the number), or was triaged on severity 7 or -3."""

from __future__ import annotations

from typing import Any

import pytest

from tests.examples.test_crm_complaint import PHONE, Desk, crm_module, desk
from wfengine.errors import DataTypeError

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("severity", None),
        ("channel", None),
        ("severity", 7),
        ("severity", -3),
        ("severity", "4"),
        ("severity", 2.5),
    ],
)
def test_a_complaint_without_a_channel_or_severity_or_out_of_range_is_refused(
    desk: Desk, field: str, value: Any
) -> None:
    with pytest.raises(DataTypeError, match=f"^{field}: "):
        desk.intake(agent="amy", **{field: value})
    assert desk.engine.instance_summaries() == []
    assert desk.crm.sent(PHONE) == []
    assert desk.crm.next_acceptance_number(PHONE)["acceptance_number"] == "0101-0001"


def test_severities_one_to_three_are_taken_and_a_missing_one_is_normal(desk: Desk) -> None:
    for severity in (1, 3, "2"):
        iid = desk.intake(agent="amy", severity=severity)
        assert desk.engine.incidents(iid) == []
    values = {"phone": PHONE, "category": "billing", "text": "Charged twice"}
    iid = crm_module.take_complaint(desk.engine, values, agent="amy")  # neither given
    data = desk.engine.instance(iid).data
    assert (data["severity"], data["channel"]) == (2, "hotline")


def test_a_form_with_a_severity_out_of_range_is_refused_and_stays_open(desk: Desk) -> None:
    iid = desk.intake(agent="amy")
    desk.do(iid, "coordinate", "cora", decision="amend")
    with pytest.raises(DataTypeError, match=r"^severity: 7"):
        desk.do(iid, "amend", "amy", severity=7)
    assert desk.engine.instance(iid).data["severity"] == 2
    desk.do(iid, "amend", "amy", severity=3)
    assert desk.engine.instance(iid).data["severity"] == 3
