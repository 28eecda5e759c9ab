"""The steps of a process a SubFlow calls run in a simulation too: the scenario may time them
and size their performers, and the report shows them."""

from __future__ import annotations

import pytest
from tests.simulation.helpers import scenario

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import ScenarioError, simulate
from wfengine.simulation.binding import bind


def _main_calls_review(inner: str = "review_step") -> Package:
    """main: intake (a clerk), then a subflow call of review, whose one step a reviewer does
    (a participant of review only)."""
    pb = PackageBuilder("pkg")
    m = pb.process("main")
    m.participant("clerk")
    m.activity("intake", performer="clerk")
    m.subflow("call_review", process="review")
    m.sequence("intake", "call_review")
    r = pb.process("review")
    r.participant("reviewer")
    r.activity(inner, performer="reviewer")
    return pb.build()


def test_a_called_processs_step_takes_its_duration_and_shows_in_the_report() -> None:
    scn = scenario(
        process="main",
        arrivals={"every": "1h"},
        activities={"intake": "5m", "review_step": "30m"},
        resources={"reviewer": 2},
    )
    report = simulate(_main_calls_review(), scn, instances=10)
    step = report.activities["review_step"]
    assert step.count.mean == 10
    assert step.processing.mean == pytest.approx(1800.0)
    assert report.cycle_time.mean == pytest.approx(35 * 60)
    assert report.replications[0].groups["reviewer"].people == 2


def test_an_activity_id_two_of_the_runs_processes_have_is_refused_where_named() -> None:
    package = _main_calls_review(inner="intake")  # review's step has main's step's id
    with pytest.raises(
        ScenarioError, match=r"activities\.intake: processes 'main', 'review' each have"
    ):
        bind(scenario(process="main", activities={"intake": "5m"}), package)
    bind(scenario(process="main"), package)  # not named: nothing to tell apart
