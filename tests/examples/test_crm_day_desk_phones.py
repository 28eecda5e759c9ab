"""The simulated day's extra department desks have mobile numbers however long the day.
Before, ``day.organisation`` wrote ``+86 135 5551`` and the team and desk in two digits each,
so from team 100 on (a day of over 10,000 complaints) the desks had 12-digit numbers, which
take no SMS: those desks were told of no new work, reminder or escalation by SMS."""

from __future__ import annotations

import pytest

from tests.examples.test_crm_complaint import EXAMPLE, _module
from wfengine.worklist.org_files import load_organisation

day, phones = _module("day"), _module("phones")


@pytest.mark.parametrize("complaints", [10_001, 25_000])
def test_every_extra_desk_has_a_mobile_of_its_own(complaints: int) -> None:
    org = day.organisation(complaints)
    keys = [phones.phone_key(u.phone) for u in org.users if u.phone]
    assert len(keys) == len(set(keys))  # none shared, none of organisation.yaml's
    assert [k for k in keys if phones.sms_number(k) is None] == []
    filed = {
        phones.phone_key(u.phone)
        for u in load_organisation(EXAMPLE / "organisation.yaml").users
        if u.phone
    }
    assert filed <= set(keys)


def test_the_last_team_a_day_can_number_still_has_mobiles() -> None:
    teams = 10**8 // len(day.DEPARTMENTS) - 1
    numbers = [day.desk_phone(teams, k) for k in range(len(day.DEPARTMENTS))]
    assert [n for n in numbers if phones.sms_number(phones.phone_key(n)) is None] == []
