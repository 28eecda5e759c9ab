"""The CRM complaint example's count of the people told of their work (``notices.Recorded``,
the day report's line): e-mail and SMS count alike, a recipient each."""

from __future__ import annotations

from tests.examples.example_modules import example_module
from wfengine.worklist.notifiers import Notification
from wfengine.worklist.org_model import OrgUser

notices = example_module("notices")


def test_one_offer_to_three_desks_is_three_people_told_by_each_channel() -> None:
    """One e-mail to a unit's three desks counted as one, their three texts as three (the
    report said "1 by e-mail; 3 by SMS"): now both count the people told."""
    desks = [
        OrgUser(
            id=f"billing{k}",
            email=f"b{k}@example.com",
            phone=f"+86 138 0000 010{k}",
            units=("billing",),
        )
        for k in range(3)
    ]
    recorded = notices.Recorded()
    offer = Notification("k1", "offered", "wi-1", "pi-1", "department", tuple(u.id for u in desks))
    recorded.email().notify(offer, desks)
    recorded.sms().notify(offer, desks)
    counts = recorded.counts()
    assert (counts["e-mail"]["offered"], counts["SMS"]["offered"]) == (3, 3)
