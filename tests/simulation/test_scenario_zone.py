"""A scenario file gives a zone with summer time as an RFC 9557 suffix
(``start: 2027-03-22T00:00:00[Europe/Paris]``), and its calendars' hours are then read on that
zone's clock. Before, a file could give only a fixed offset (all a YAML timestamp says): a
Paris office simulated across the change to summer time opened an hour late, at 10:00."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tests.simulation.helpers import single_server

from wfengine.simulation import Scenario, ScenarioError, simulate

_SCENARIO = """\
start: {start}
arrivals:
  at: ["2027-03-29T09:00:00[Europe/Paris]"]   # a Monday, 09:00 summer time
calendars:
  office: {{hours: ["09:00-17:00"]}}
calendar: office
activities: {{serve: 30m}}
resources: {{server: 1}}
"""


def _load(tmp_path: Path, start: str) -> Scenario:
    path = tmp_path / "s.yaml"
    path.write_text(_SCENARIO.format(start=start), encoding="utf-8")
    return Scenario.load(path)


def test_a_zone_suffix_reads_calendar_hours_on_that_zones_clock(tmp_path: Path) -> None:
    scn = _load(tmp_path, "2027-03-22T00:00:00[Europe/Paris]")
    assert scn.start == datetime(2027, 3, 22, tzinfo=ZoneInfo("Europe/Paris"))
    assert scn.start.tzinfo == ZoneInfo("Europe/Paris")
    report = simulate(single_server(), scn, seed=1)
    assert report.activities["serve"].waiting.mean == 0.0  # the office opened at 09:00


def test_an_offset_the_zone_has_is_taken(tmp_path: Path) -> None:
    scn = _load(tmp_path, "2027-03-22T00:00:00+01:00[Europe/Paris]")
    assert scn.start.tzinfo == ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("start", "says"),
    [
        ("2027-03-22T00:00:00[Europe/Pariss]", "unknown time zone 'Europe/Pariss'"),
        ("2027-03-22T00:00:00[../etc]", "unknown time zone '../etc'"),
        ("2027-03-22T00:00:00+02:00[Europe/Paris]", "offset then is +0100"),
    ],
)
def test_a_zone_the_moment_cannot_have_names_the_line(
    tmp_path: Path, start: str, says: str
) -> None:
    where = re.escape(str(tmp_path / "s.yaml"))
    with pytest.raises(ScenarioError, match=rf"^{where}:1: start: .*{re.escape(says)}"):
        _load(tmp_path, start)
