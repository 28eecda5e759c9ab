"""A stand-in's ``outputs`` are checked against the application's OUT and INOUT parameters
before anything runs: a name it does not have (or a value its type does not take) would
otherwise fail every call, each case stopping at an incident."""

from __future__ import annotations

import pytest
from tests.simulation.helpers import scenario

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import Scenario, ScenarioError, simulate
from wfengine.simulation.binding import bind


def _credit_check() -> Package:
    pb = PackageBuilder("app")
    p = pb.process("app")
    p.data_field("score", "INTEGER", initial="0")
    p.data_field("amount", "INTEGER", initial="0")
    p.application("credit", params=[("amount", "IN", "INTEGER"), ("score", "OUT", "INTEGER")])
    p.activity("check", tool="credit", args=["amount", "score"])
    return pb.build()


def _outputs(outputs: dict[str, object]) -> Scenario:
    return scenario(applications={"credit": {"outputs": outputs}})


def test_an_output_the_application_does_not_return_is_refused() -> None:
    with pytest.raises(
        ScenarioError,
        match=r"applications\.credit\.outputs\.scor: application 'credit' has no OUT or "
        r"INOUT parameter 'scor' \(its OUT/INOUT parameters: score\)",
    ):
        bind(_outputs({"scor": {"randint": [300, 850]}}), _credit_check())


def test_an_in_parameter_is_no_output() -> None:
    with pytest.raises(ScenarioError, match=r"outputs\.amount: .* no OUT or INOUT parameter"):
        bind(_outputs({"amount": 5}), _credit_check())


def test_an_output_its_parameters_type_does_not_take_is_refused() -> None:
    with pytest.raises(
        ScenarioError, match=r"applications\.credit\.outputs\.score: 'high' does not fit its OUT"
    ):
        bind(_outputs({"score": "high"}), _credit_check())


def test_outputs_that_fit_are_what_the_stand_in_answers() -> None:
    scn = _outputs({"score": {"randint": [300, 850]}})
    report = simulate(_credit_check(), scn, instances=5)
    run = report.replications[0]
    assert run.metrics.completed == 5 and run.incident_count == 0
