"""A sequential ad-hoc set in a simulation: a person's step waits for its turn, then runs.

The engine offers every person's activity of the set at once and refuses to start one while
another of the set is in progress. Before, a free person took such an item, had its start
refused, and the run took it for withdrawn: never handed out again, no case finished, with no
error (the report named the step a bottleneck). Now it waits on offer, unclaimed, and goes to
its person when the activity in progress closes; that time is its waiting."""

from __future__ import annotations

from pathlib import Path

import pytest

import wfengine.simulation.simulator as simulator
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import Scenario, ScenarioError, simulate
from wfengine.simulation.report import SimulationReport


def _set(first: str) -> Package:
    """A block running the sequential set {a, b}: ``a`` a clerk's step, a Tool activity or a
    subflow whose one step is the clerk's (``first``: ``person``, ``tool``, ``subflow``),
    ``b`` an expert's."""
    pb = PackageBuilder("turns")
    pb.participant("clerk")
    pb.participant("expert")
    pb.application("calc")
    pb.process("child").activity("inner", performer="clerk")
    p = pb.process("turns")
    checks = p.activity_set("checks", adhoc="Sequential")
    if first == "tool":
        checks.activity("a", tool="calc")
    elif first == "subflow":
        checks.subflow("a", process="child")
    else:
        checks.activity("a", performer="clerk")
    checks.activity("b", performer="expert")
    p.block("review", activity_set="checks")
    return pb.build()


def _run(first: str, db_url: str | None = None) -> SimulationReport:
    scn = Scenario.from_data(
        {
            "process": "turns",
            "arrivals": {"every": "1d"},
            "activities": {
                "inner" if first == "subflow" else "a": {"duration": "10m"},
                "b": {"duration": "20m"},
            },
        }
    )
    return simulate(_set(first), scn, instances=3, seed=3, db_url=db_url)


def _figures(report: SimulationReport) -> tuple[float | None, ...]:
    b = report.activities["b"]
    return (report.completed.mean, b.count.mean, b.waiting.mean, b.processing.mean)


@pytest.mark.parametrize("first", ["person", "tool", "subflow"])
def test_a_step_waits_for_its_turn_then_runs(first: str, tmp_path: Path) -> None:
    report = _run(first)
    assert _figures(report) == (3, 3, 600, 1200)
    assert report.as_dict()["runs"][0]["stopped"] is None
    on_disk = _run(first, f"sqlite:///{tmp_path / 'sim.db'}")
    assert _figures(on_disk) == _figures(report)


def test_an_item_taken_but_not_started_stops_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    # without the turn looked up, the expert takes b while a runs: the engine keeps b
    # claimed by them and refuses its start, which no one else may then do
    monkeypatch.setattr(simulator, "sequential_steps", lambda *_: frozenset(), raising=False)
    with pytest.raises(ScenarioError, match=r"activities\.b: 'expert' took work item") as caught:
        _run("person")
    assert "ad-hoc set is in progress" in str(caught.value)
