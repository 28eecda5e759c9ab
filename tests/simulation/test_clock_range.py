"""Durations, rates and horizons past what the simulated clock can hold: an error naming the
key and the limit, before anything runs; a run whose moments (summed, or drawn) would pass the
clock's last day stops with an error saying so. Before, the numbers were taken and the run
died of a bare OverflowError (a traceback from the CLI), and a literal over the limit was
called "not a duration"."""

from __future__ import annotations

from typing import Any

import pytest
from tests.simulation.helpers import scenario

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import ScenarioError, simulate
from wfengine.simulation.distributions import MAX_SECONDS

LIMIT = "at most 31,536,000,000 seconds, 365,000 days"


def _desk() -> Package:
    pb = PackageBuilder("desk")
    pb.process("ticket").participant("clerk").activity("check", performer="clerk")
    return pb.build()


def _calls(length: int) -> Package:
    """``length`` Tool activities in a row, each calling ``calc``."""
    pb = PackageBuilder("calls")
    pb.application("calc")
    p = pb.process("calls")
    ids = [f"c{n}" for n in range(length)]
    for a in ids:
        p.activity(a, tools=[("calc", [])])
    p.sequence(*ids)
    return pb.build()


@pytest.mark.parametrize(
    ("data", "where", "said"),
    [
        ({"activities": {"check": {"duration": 100_000_000_000}}}, "activities.check.duration",
         "100000000000 seconds is longer than a duration may be"),
        ({"activities": {"check": {"duration": 1e300}}}, "activities.check.duration", "1e+300"),
        ({"activities": {"check": {"duration": float("inf")}}}, "activities.check.duration",
         "inf seconds is longer"),
        ({"activities": {"check": {"duration": "400000d"}}}, "activities.check.duration",
         "'400000d' is longer than a duration may be"),
        ({"activities": {"check": {"duration": {"exponential": "400000d"}}}},
         "activities.check.duration.exponential", "'400000d' is longer"),
        ({"arrivals": {"every": 1e300}}, "arrivals.every", "1e+300 seconds is longer"),
        ({"horizon": 1e300}, "horizon", "1e+300 seconds is longer"),
        ({"arrivals": {"poisson": "0.0000000001/d"}}, "arrivals.poisson",
         "leaves 10,000,000,000 days between two arrivals on average"),
    ],
)  # fmt: skip
def test_a_number_past_the_limit_is_refused_naming_key_and_limit(
    data: dict[str, Any], where: str, said: str
) -> None:
    data.setdefault("arrivals", {"every": "1m"})
    with pytest.raises(ScenarioError) as caught:  # (activities are read meeting the process)
        simulate(_desk(), scenario(**data), instances=1)
    message = str(caught.value)
    assert message.startswith(f"test.yaml: {where}: ")
    assert said in message and LIMIT in message


def test_the_limit_itself_is_a_duration() -> None:
    assert scenario(horizon="365000d").horizon == MAX_SECONDS
    scn = scenario(arrivals={"every": "1m"}, activities={"check": {"duration": MAX_SECONDS}})
    assert simulate(_desk(), scn, instances=2).completed.mean == 2


def test_nan_is_not_a_number_of_seconds() -> None:
    scn = scenario(activities={"check": {"duration": float("nan")}})
    with pytest.raises(ScenarioError, match=r"duration: nan is not a number of seconds"):
        simulate(_desk(), scn, instances=1)


@pytest.mark.parametrize(
    "data",
    [
        {"arrivals": {"every": "365000d"}},  # the 9th case arrives after 9999
        {"arrivals": {"every": "1m"}, "activities": {"check": {"duration": "365000d"}}},
        # one hour of work a week: the first step's 1,000 years of work take 168,000
        {"arrivals": {"every": "1m"}, "activities": {"check": {"duration": "365000d"}},
         "calendar": {"days": ["mon"], "hours": ["09:00-10:00"]}},
    ],
)  # fmt: skip
def test_moments_past_the_clocks_last_day_stop_the_run_saying_so(data: dict[str, Any]) -> None:
    with pytest.raises(
        ScenarioError,
        match=r"would fall at or after 9999-12-31T00:00:00\+00:00, where the engine's time ends",
    ):
        simulate(_desk(), scenario(**data), instances=20, seed=1)


def test_an_application_call_past_the_clocks_last_day_stops_the_run_naming_it() -> None:
    data = {"arrivals": {"every": "1m"}, "applications": {"calc": {"duration": "365000d"}}}
    with pytest.raises(ScenarioError) as caught:
        simulate(_calls(10), scenario(**data), instances=2, seed=1)
    assert (
        "the end of activity 'c7''s application call would fall at or after 9999-12-31T00"
        in str(caught.value)
    )
