"""A case of the ff9eb59 definition of the CRM complaint (``crm_complaint_ff9eb59.xpdl``, still
deployed on a database that ran it) sets ``told_number`` as ``tell_customer`` ends, also when
an operator skips it after the SMS gateway refused, and then texts an empty text (which
``notify_customer`` sends nothing for): a send-back to ``tell_customer`` tells the customer
nothing, whatever the CRM keeps. The example's README says so, and says what to do: clear
``told_number`` (``Engine.set_data(case, {"told_number": ""})``) before the send-back, which
then tells the number, once."""

from __future__ import annotations

from pathlib import Path

from tests.examples.test_crm_complaint import Desk, desk
from tests.examples.test_crm_number_after_skipped_send import (
    TOLD,
    intake_while_the_gateway_is_down,
    texts_sent,
)
from wfengine import load_xpdl

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

FF9EB59 = Path(__file__).with_name("crm_complaint_ff9eb59.xpdl")


def _send_back_to_tell_customer(desk: Desk, iid: str) -> None:
    item = desk.item(iid, "coordinate")
    desk.engine.claim_work_item(item.id, "cora")
    desk.engine.send_back_work_item(item.id, "cora", "tell_customer", "tell them their number")


def test_clearing_told_number_lets_the_send_back_tell_the_number(desk: Desk) -> None:
    desk.engine.deploy(load_xpdl(FF9EB59))
    iid, gateway = intake_while_the_gateway_is_down(desk)
    [incident] = desk.engine.incidents(iid)
    desk.engine.skip_incident(incident.id, {})
    gateway["down"] = False
    assert desk.engine.instance(iid).data["told_number"] == "0101-0001"
    _send_back_to_tell_customer(desk, iid)
    assert texts_sent(desk) == []  # told_number says it was told: the text is empty
    desk.engine.set_data(iid, {"told_number": ""})
    _send_back_to_tell_customer(desk, iid)
    assert texts_sent(desk) == [TOLD]
    _send_back_to_tell_customer(desk, iid)
    assert texts_sent(desk) == [TOLD]  # told once
    desk.item(iid, "coordinate")  # the case goes on
