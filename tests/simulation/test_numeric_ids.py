"""Activities and applications with numeric ids (``10``, as XPDL tools often number them)
can be given durations: YAML reads an unquoted ``10:`` key as a number, which the scenario
said no activity was."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.simulation import Scenario, ScenarioError, simulate


def test_an_unquoted_numeric_activity_id_is_the_activity(tmp_path: Path) -> None:
    pb = PackageBuilder("p")
    p = pb.process("proc")
    p.participant("clerk")
    p.activity("10", performer="clerk")
    path = tmp_path / "s.yaml"
    path.write_text(
        "arrivals: {every: 10m}\nactivities:\n  10: {duration: 4m}\nresources: {clerk: 1}\n",
        encoding="utf-8",
    )
    report = simulate(pb.build(), path, instances=3)
    assert report.activities["10"].processing.mean == 240.0


def test_one_id_given_as_a_number_and_as_text_is_refused() -> None:
    with pytest.raises(ScenarioError, match=r"activities\.10: given twice"):
        Scenario.from_data({"arrivals": {"every": "1h"}, "activities": {10: "1m", "10": "2m"}})
