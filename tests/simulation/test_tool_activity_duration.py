"""A Tool activity's own ``duration`` is the activity's, however many applications it calls:
its first call takes it. Before, it was drawn for each call, so an activity of 30m calling
two applications took an hour. An application's own duration stays per call."""

from __future__ import annotations

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import Scenario, simulate


def _two_tools() -> Package:
    pb = PackageBuilder("tools")
    p = pb.process("tools")
    p.application("a")
    p.application("b")
    p.activity("both", tools=[("a", []), ("b", [])])
    p.activity("one", tool="a")
    p.sequence("both", "one")
    return pb.build()


def _run(activities: dict[str, object]) -> dict[str, float]:
    scn = Scenario.from_data(
        {
            "arrivals": {"at": ["2027-01-04T09:00:00Z"]},
            "activities": activities,
            "applications": {"a": {"duration": "1h"}, "b": {"duration": "2h"}},
        }
    )
    report = simulate(_two_tools(), scn, seed=1)
    hours = {act: row.processing.mean / 3600 for act, row in report.activities.items()}
    return {**hours, "cycle": report.cycle_time.mean / 3600}


def test_an_activity_duration_is_the_whole_activitys() -> None:
    assert _run({"both": {"duration": "30m"}}) == {"both": 0.5, "one": 1.0, "cycle": 1.5}


def test_application_durations_add_up_per_call() -> None:
    assert _run({}) == {"both": 3.0, "one": 1.0, "cycle": 4.0}
