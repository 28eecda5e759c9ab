"""A scenario holiday written as a date and a time is refused, naming it.

YAML reads an unquoted ``2027-01-01 00:00:00`` as a datetime; the calendar kept it, and a
datetime never equals the date it names, so the holiday was silently a working day (quoted,
the same text was refused as "not a date"). A holiday is a whole day."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from wfengine.simulation import ScenarioError
from wfengine.simulation.calendar import read_calendar
from wfengine.simulation.scenario_yaml import read_yaml

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


def test_an_unquoted_yaml_timestamp_as_a_holiday_is_refused_naming_it() -> None:
    text = "calendar: {days: [mon, tue], hours: ['09:00-17:00'], holidays: [2027-01-01 00:00:00]}"
    data, _ = read_yaml(text, "s.yaml")
    with pytest.raises(ScenarioError) as caught:
        read_calendar(data["calendar"], "calendar")
    message = str(caught.value)
    assert message.startswith("calendar.holidays: 2027-01-01 00:00:00 is a date and a time")
    assert "write the date alone (2027-01-01)" in message


@pytest.mark.parametrize("when", [datetime(2027, 1, 1), datetime(2027, 1, 1, 12, 30, tzinfo=UTC)])
def test_a_datetime_holiday_is_refused(when: datetime) -> None:
    spec = {"days": WEEKDAYS, "hours": ["09:00-17:00"], "holidays": [when]}
    with pytest.raises(ScenarioError, match=r"calendar\.holidays: 2027-01-01 .* is a date and"):
        read_calendar(spec, "calendar")


def test_a_date_holiday_still_closes_the_day() -> None:
    spec = {"days": WEEKDAYS, "hours": ["09:00-17:00"], "holidays": [date(2027, 1, 1)]}
    calendar = read_calendar(spec, "calendar")
    assert not calendar.is_open(datetime(2027, 1, 1, 10, tzinfo=UTC))
    assert calendar.is_open(datetime(2027, 1, 4, 10, tzinfo=UTC))
