"""A stand-in application's later draw that its OUT parameter's type refuses stops the run
with an error naming it (as a person's outputs do), instead of opening incidents."""

from __future__ import annotations

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import Scenario, ScenarioError, simulate


def _scored() -> Package:
    pb = PackageBuilder("a")
    p = pb.process("a")
    p.participant("clerk")
    pb.application("score", params=[("s", "OUT", "INTEGER")])
    p.data_field("s", "INTEGER", initial="0")
    p.activity("calc", tool="score", args=["s"])
    p.activity("look", performer="clerk")
    p.sequence("calc", "look")
    return pb.build()


def _scenario(outputs: object, duration: str | None = "30s") -> Scenario:
    score: dict[str, object] = {"outputs": {"s": outputs}}
    if duration is not None:  # an asynchronous call; else the engine calls it at once
        score["duration"] = duration
    return Scenario.from_data(
        {"arrivals": {"every": "1m"}, "instances": 20, "applications": {"score": score}}
    )


@pytest.mark.parametrize("duration", ["30s", None])
def test_a_later_draw_the_parameter_refuses_stops_the_run(duration: str | None) -> None:
    scn = _scenario({"choice": {1: 9, 2.5: 1}}, duration)  # checked draw 1; later 2.5
    with pytest.raises(
        ScenarioError,
        match=r"applications\.score\.outputs\.s: drew 2\.5, which parameter 's' does not take",
    ):
        simulate(_scored(), scn, seed=1)


def test_draws_the_parameter_takes_run_on() -> None:
    report = simulate(_scored(), _scenario({"choice": {1: 9, 2: 1}}), seed=1)
    assert report.replications[0].incident_count == 0
    assert report.completed.mean == 20
