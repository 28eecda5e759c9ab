"""A status notice the CRM recorded as not deliverable (a hotline customer on a landline,
no e-mail address) does not count the milestone as told. Before, the milestone was kept as
told all the same: ``told_milestones`` listed news the customer never heard, the day report
counted them among the notices sent, and once the case had an address the milestone reached
again told nothing, while the acceptance number, undeliverable too, was told then."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from tests.examples.example_modules import example_module
from tests.examples.test_crm_complaint import Desk, crm_module, desk

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

report = example_module("report")
LANDLINE = "010 5550 0101"
REVIEWED, HANDLED = "Reviewed by the coordinator", "Handled by a department"


def _undeliverable(desk: Desk) -> list[str]:
    return [m["text"] for m in desk.crm.sent(LANDLINE, channel=crm_module.UNDELIVERABLE)]


def test_an_undeliverable_notice_is_no_milestone_told_and_is_told_once_it_can_be(
    desk: Desk,
) -> None:
    iid = desk.intake(phone=LANDLINE)
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    assert _undeliverable(desk) == [
        "Your complaint is number 0101-0001",
        f"Your complaint 0101-0001: {REVIEWED}",
    ]
    assert desk.crm.told_milestones(LANDLINE) == []  # the customer heard nothing
    desk.engine.set_data(iid, {"email": "li.na@example.com"})  # they gave an address
    desk.do(iid, "department", "eva", dept_outcome="done")
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="network")
    sent = [(m["channel"], m["address"], m["text"]) for m in desk.crm.sent(LANDLINE)]
    assert sent == [
        ("email", "li.na@example.com", f"Your complaint 0101-0001: {HANDLED}"),
        ("email", "li.na@example.com", f"Your complaint 0101-0001: {REVIEWED}"),  # now told
    ]
    told = sorted(m["milestone"] for m in desk.crm.told_milestones(LANDLINE))
    assert told == [HANDLED, REVIEWED]
    desk.do(iid, "department", "fay", dept_outcome="done")  # handled again: told once
    assert len(desk.crm.sent(LANDLINE)) == 2


def test_the_day_report_counts_no_undeliverable_notice_as_sent(desk: Desk) -> None:
    started = desk.clock.now()
    iid = desk.intake(phone=LANDLINE)
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    desk.do(iid, "department", "eva", dept_outcome="done")
    desk.clock.advance(timedelta(minutes=1))
    day = SimpleNamespace(instance_ids=[iid], started=started, ended=desk.clock.now())
    text = report.report(desk.engine, day, desk.crm, None)
    assert "Notifications to customers: 0 (" in text
    assert "0 of them progress notices" in text
    assert "Not deliverable by SMS (a landline, no e-mail address): 3 to 1 customers" in text


def test_a_milestone_reached_again_without_an_address_is_recorded_undeliverable_once(
    desk: Desk,
) -> None:
    """Before, each time the milestone was reached again a new notice was recorded as not
    deliverable (seven for this case instead of three), and the day report's count grew."""
    started = desk.clock.now()
    iid = desk.intake(phone=LANDLINE)
    for department, desk_user in (("billing", "eva"), ("network", "fay")):
        desk.do(iid, "coordinate", "cora", decision="departments", next_department=department)
        desk.do(iid, "department", desk_user, dept_outcome="done")
    assert _undeliverable(desk) == [
        "Your complaint is number 0101-0001",
        f"Your complaint 0101-0001: {REVIEWED}",
        f"Your complaint 0101-0001: {HANDLED}",
    ]
    desk.clock.advance(timedelta(minutes=1))
    day = SimpleNamespace(instance_ids=[iid], started=started, ended=desk.clock.now())
    text = report.report(desk.engine, day, desk.crm, None)
    assert "Not deliverable by SMS (a landline, no e-mail address): 3 to 1 customers" in text
