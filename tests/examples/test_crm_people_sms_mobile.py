"""The CRM complaint example's people are texted at mobile numbers. Before, the agents, desks
and supervisors of ``organisation.yaml`` (and the day's extra desks, ``day.organisation``) had
landline numbers (``+86 10 5550 0201``) while ``notices.py`` tells them of their work by SMS:
every text of the day went to a number that takes none, against the example's own rule
(``phones.sms_number``: an SMS goes to a mobile only)."""

from __future__ import annotations

from datetime import timedelta

from tests.examples.test_crm_complaint import EXAMPLE, Desk, _module, desk
from wfengine.worklist.org_files import load_organisation

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

day, notices, phones = _module("day"), _module("notices"), _module("phones")


def _is_mobile(phone: str) -> bool:
    return phones.sms_number(phones.phone_key(phone)) is not None


def test_everyone_with_a_number_in_the_days_organisation_has_a_mobile() -> None:
    """The file's people and the extra desks of a day of 350 complaints (three teams)."""
    numbered = [u for u in day.organisation(350).users if u.phone]
    assert len(numbered) == 8 + 3 * 4
    assert [u.id for u in numbered if not _is_mobile(u.phone)] == []


def test_every_text_the_day_sends_goes_to_a_mobile(desk: Desk) -> None:
    """New work offered to a desk, then its reminders and the escalation to the supervisor."""
    recorded = notices.Recorded()
    org = load_organisation(EXAMPLE / "organisation.yaml")
    notices.subscribe_people(desk.engine.outbox.handlers, org, sms=recorded.sms())
    iid = desk.intake(agent="amy")
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    for _ in range(4):
        desk.clock.advance(timedelta(hours=2))
    desk.engine.deliver_outbox()
    assert {"offered", "overdue", "escalated"} <= set(recorded.counts()["SMS"]), recorded.texts
    assert [t["phone"] for t in recorded.texts if not _is_mobile(t["phone"])] == []
