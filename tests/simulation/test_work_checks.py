"""What ``activities.<id>`` gives an activity is used, or refused before anything runs: a
duration, outputs or a priority for an activity no person takes (a route, an event, a subflow
call, a script task, an automatic activity) would otherwise do nothing, without a word."""

from __future__ import annotations

import pytest
from tests.simulation.helpers import scenario

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import ScenarioError, simulate
from wfengine.simulation.binding import bind


def _no_person_steps() -> Package:
    """Every kind of activity the engine does by itself, in a row."""
    pb = PackageBuilder("p")
    pb.process("sub").activity("inner")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="0")
    p.start("s")
    p.activity("scripted", script="x = 1")
    p.activity("automatic")
    p.route("gate")
    p.subflow("call", process="sub")
    p.intermediate("pause", timer="PT1M")
    p.end("e")
    p.sequence("s", "scripted", "automatic", "gate", "call", "pause", "e")
    return pb.build()


@pytest.mark.parametrize(
    ("activity", "kind"),
    [
        ("scripted", "a script task"),
        ("automatic", "an automatic activity with no application"),
        ("gate", "a route"),
        ("call", "a subflow call"),
        ("pause", "an event"),
    ],
)
@pytest.mark.parametrize(
    ("key", "spec"),
    [("duration", "1h"), ("outputs", {"x": 5}), ("priority", 3)],
)
def test_what_an_activity_no_person_takes_cannot_use_is_refused(
    activity: str, kind: str, key: str, spec: object
) -> None:
    scn = scenario(process="main", activities={activity: {key: spec}})
    with pytest.raises(
        ScenarioError, match=rf"activities\.{activity}\.{key}: '{activity}' is {kind}"
    ):
        bind(scn, _no_person_steps())


def test_a_plain_duration_for_a_route_is_refused_too() -> None:
    with pytest.raises(ScenarioError, match=r"activities\.gate\.duration: 'gate' is a route"):
        bind(scenario(process="main", activities={"gate": "1h"}), _no_person_steps())


def _tool(**options: str) -> Package:
    pb = PackageBuilder("t")
    p = pb.process("t")
    p.participant("clerk")
    p.data_field("score", "INTEGER", initial="0")
    p.application("rate", params=[("score", "OUT", "INTEGER")])
    p.activity("rate_it", tool="rate", args=["score"], **options)  # type: ignore[arg-type]
    return pb.build()


def test_outputs_of_a_tool_activity_the_engine_runs_point_to_its_application() -> None:
    scn = scenario(activities={"rate_it": {"outputs": {"score": 1}}})
    with pytest.raises(
        ScenarioError,
        match=r"activities\.rate_it\.outputs: .*give it under applications\.rate\.outputs",
    ):
        bind(scn, _tool())


def test_a_tool_activitys_duration_is_its_call_when_the_engine_runs_it() -> None:
    scn = scenario(arrivals={"every": "1d"}, activities={"rate_it": "1h"})
    report = simulate(_tool(), scn, instances=3)
    assert report.cycle_time.mean == pytest.approx(3600.0)


def test_a_tool_activity_a_person_starts_takes_its_duration_once() -> None:
    # the person's hour; the application's call (no duration of its own) takes no time,
    # where it used to wait out the activity's hour a second time
    scn = scenario(arrivals={"every": "1d"}, activities={"rate_it": "1h"})
    report = simulate(_tool(performer="clerk", start_mode="Manual"), scn, instances=3)
    assert report.cycle_time.mean == pytest.approx(3600.0)
    assert report.activities["rate_it"].processing.mean == pytest.approx(3600.0)
