"""Scenario YAML scalars that YAML 1.1 reads into something else than they look like are
errors naming the file and the line.

An impossible unquoted date (2027-02-29) was a bare ValueError, one holiday not in a list a
bare TypeError (the CLI printed a traceback, exit 1), a quoted one was read character by
character ("'2' is not a date"), and ``duration: 1:30`` was silently 90 seconds (a base-60
number).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine.simulation import Scenario, ScenarioError

HEAD = "arrivals: {every: 1h}\n"


def _load(tmp_path: Path, body: str) -> Scenario:
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    return Scenario.load(path)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "calendars:\n  office: {holidays: [2027-02-29]}\n",
            r"s\.yaml:3: 2027-02-29 is not a date \(day is out of range for month\)",
        ),
        (
            "calendars:\n  office: {holidays: 2027-12-25}\n",
            r"s\.yaml:3: calendars\.office\.holidays: a list of dates like \[2027-12-25\], "
            r"not 2027-12-25",
        ),
        (
            "calendars:\n  office: {holidays: '2027-12-25'}\n",
            r"s\.yaml:3: calendars\.office\.holidays: a list of dates .*not '2027-12-25'",
        ),
        (
            "activities:\n  check: {duration: 1:30}\n",
            r"s\.yaml:3: 1:30 is a base-60 number to YAML \(1:30 is 90\), not a time: write "
            r"a duration as 1h30m or 90m",
        ),
    ],
)
def test_a_misread_scalar_is_a_located_error(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        _load(tmp_path, body)


def test_dates_and_durations_written_plainly_still_read(tmp_path: Path) -> None:
    scn = _load(
        tmp_path,
        "calendars:\n  office: {holidays: [2027-12-25], hours: [09:00-17:00]}\n"
        "calendar: office\nactivities:\n  check: {duration: 90m}\n",
    )
    assert [d.isoformat() for d in scn.calendar.holidays] == ["2027-12-25"]
