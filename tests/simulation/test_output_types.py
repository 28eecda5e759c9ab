"""A person's ``outputs`` (and a case's ``data``) whose values the field's declared type does
not take: refused before anything runs, or, for a later draw, the run stops naming the output.
Before, the engine refused every completion and the run dropped them without a word: 0 of 200
completed, no incident, no error, every case still open."""

from __future__ import annotations

from typing import Any

import pytest
from tests.simulation.helpers import scenario

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import ScenarioError, simulate


def _desk(kind: str) -> Package:
    """One clerk's step writing the field ``f`` of type ``kind``."""
    pb = PackageBuilder("desk")
    p = pb.process("ticket").participant("clerk")
    p.data_field("f", kind)
    p.activity("check", performer="clerk", writes=["f"])
    return pb.build()


def _run(kind: str, **data: Any) -> Any:
    data.setdefault("resources", {"clerk": 2})
    return simulate(_desk(kind), scenario(**data), instances=20, seed=1)


@pytest.mark.parametrize(
    ("kind", "spec", "said"),
    [
        ("BOOLEAN", "maybe", "'maybe' does not fit data field 'f': expected BOOLEAN"),
        ("INTEGER", {"uniform": [1, 500]}, "randint"),
        ("INTEGER", {"normal": {"mean": 10, "sd": 2}}, "expected INTEGER"),
        ("DATETIME", 42, "does not fit data field 'f'"),
    ],
)
def test_an_output_the_field_refuses_is_an_error_before_anything_runs(
    kind: str, spec: Any, said: str
) -> None:
    with pytest.raises(ScenarioError, match=r"activities\.check\.outputs\.f: ") as caught:
        _run(kind, activities={"check": {"outputs": {"f": spec}}})
    assert said in str(caught.value)


def test_case_data_the_field_refuses_is_an_error_before_anything_runs() -> None:
    with pytest.raises(ScenarioError, match=r"test\.yaml: data\.f: 'maybe' does not fit"):
        _run("BOOLEAN", data={"f": "maybe"})


def test_a_later_draw_the_field_refuses_stops_the_run_naming_the_output() -> None:
    # the first draw (checked up front) is a whole number; a later one is not
    spec = {"choice": {1: 9, 4.5: 1}}
    with pytest.raises(ScenarioError) as caught:
        _run("INTEGER", activities={"check": {"outputs": {"f": spec}}})
    message = str(caught.value)
    assert message.startswith("test.yaml: activities.check.outputs.f: drew 4.5, ")
    assert "expected INTEGER" in message and "randint" in message


@pytest.mark.parametrize(
    ("kind", "spec"),
    [
        ("BOOLEAN", {"bernoulli": 0.5}),
        ("INTEGER", {"randint": [1, 500]}),
        ("INTEGER", "7"),  # converted without loss, as the engine does
        ("FLOAT", {"uniform": [1, 500]}),
    ],
)
def test_outputs_the_field_takes_complete_every_case(kind: str, spec: Any) -> None:
    report = _run(kind, activities={"check": {"outputs": {"f": spec}, "duration": "30s"}})
    assert report.completed.mean == 20
