"""The night the clocks go back (Paris, 2027-10-31: 03:00 summer time becomes 02:00 winter
time) and the night they go forward. Python compares two moments of one zone on their wall
clock, ignoring which of the repeated hours they are in: a run started as
``...[Europe/Paris]`` ordered its events so and gave other figures than the same instants
spelled ``+02:00``; an arrival 20 real minutes after the start was refused as before it; and a
wall time the clocks skip was taken silently."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wfengine import PackageBuilder
from wfengine.simulation import Scenario, ScenarioError, simulate


def _one_clerk() -> PackageBuilder:
    pb = PackageBuilder("d")
    pb.process("t").participant("clerk").activity("answer", performer="clerk")
    return pb


def test_a_run_across_the_fall_back_night_gives_the_figures_of_its_instants() -> None:
    def run(start: str) -> tuple[float, float, datetime]:
        scn = Scenario.from_data(
            {
                "start": start,
                "arrivals": {"every": "20m"},
                "activities": {"answer": {"duration": {"exponential": "25m"}}},
                "resources": {"clerk": 1},
            }
        )
        report = simulate(_one_clerk().build(), scn, seed=3, instances=30)
        ended = report.replications[0].ended.astimezone(UTC)
        return report.activities["answer"].waiting.mean, report.cycle_time.mean, ended

    # the same instants, spelled with the zone and with summer time's fixed offset
    assert run("2027-10-31T01:00:00[Europe/Paris]") == run("2027-10-31T01:00:00+02:00")


def test_an_arrival_in_the_repeated_hour_after_the_start_is_taken_in_real_time_order() -> None:
    start = "2027-10-31T02:50:00+02:00[Europe/Paris]"  # summer time, before the change
    later = "2027-10-31T02:10:00+01:00[Europe/Paris]"  # winter time: 20 real minutes later
    scn = Scenario.from_data({"start": start, "arrivals": {"at": [later, start]}})
    assert [t.astimezone(UTC).isoformat() for t in scn.arrivals.times] == [
        "2027-10-31T00:50:00+00:00",
        "2027-10-31T01:10:00+00:00",
    ]


def test_a_wall_time_the_clocks_skip_is_refused_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "start: 2027-03-28T00:00:00[Europe/Paris]\n"
        "arrivals:\n  at:\n    - 2027-03-28T01:30:00[Europe/Paris]\n"
        "    - 2027-03-28T02:30:00[Europe/Paris]\n",
        encoding="utf-8",
    )
    where = re.escape(f"{path}:5: arrivals.at[1]: 2027-03-28T02:30:00 is no time of Europe/Paris")
    with pytest.raises(ScenarioError, match=where + r".*from \+0100 to \+0200"):
        Scenario.load(path)


def test_a_zoned_moment_at_the_calendars_end_is_refused_saying_why() -> None:
    # (its check for a skipped hour reads it in UTC, past the year 9999 here: no bare
    # OverflowError; no run can start there, where the engine's time has ended)
    last = "9999-12-31T23:00:00[America/New_York]"
    said = r"^scenario: start: 9999-12-31T23:00:00-05:00 is at or after 9999-12-31T00:00:00\+00"
    with pytest.raises(ScenarioError, match=said):
        Scenario.from_data({"start": last, "arrivals": {"at": [last]}})
    with pytest.raises(ScenarioError, match=r"^scenario: arrivals.at\[0\]: 9999-12-31T23:00:00-05"):
        Scenario.from_data({"start": "9999-12-30T00:00:00Z", "arrivals": {"at": [last]}})
