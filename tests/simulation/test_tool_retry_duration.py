"""A Tool activity's own ``duration`` is taken once, by its first call's first wait: a retry of
that call takes none of it. Before, the retry waited the whole activity's time again (30m
with one failed call took an hour). An application's own duration is per call, retries too."""

from __future__ import annotations

from typing import Any

from wfengine import PackageBuilder
from wfengine.applications.registry import ApplicationRegistry
from wfengine.simulation import Scenario, simulate


def _minutes(scenario: dict[str, Any]) -> tuple[float, int]:
    """The activity's processing time (minutes) when ``a`` fails its first call once, and
    the calls of ``a`` made."""
    pb = PackageBuilder("d")
    p = pb.process("t")
    p.application("a")
    p.application("b")
    p.activity("both", tools=[("a", []), ("b", [])])
    calls: list[int] = []
    registry = ApplicationRegistry()

    @registry.register("a", retries=1, backoff=1)
    def a() -> dict[str, Any]:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("down")
        return {}

    registry.register("b", lambda: {})
    scn = Scenario.from_data({"arrivals": {"at": ["2027-01-04T09:00:00Z"]}, **scenario})
    report = simulate(pb.build(), scn, seed=1, applications=registry)
    assert report.replications[0].incident_count == 0
    return round(report.activities["both"].processing.mean / 60), len(calls)


def test_a_retried_call_does_not_wait_the_activitys_duration_again() -> None:
    assert _minutes({"activities": {"both": {"duration": "30m"}}}) == (30, 2)


def test_an_applications_own_duration_is_waited_by_each_call_retries_too() -> None:
    assert _minutes({"applications": {"a": {"duration": "1h"}}}) == (120, 2)
