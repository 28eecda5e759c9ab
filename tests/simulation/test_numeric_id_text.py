"""A scenario file's ``activities`` and ``applications`` keys are the ids as written. YAML 1.1
reads an unquoted ``010`` as the number 8 and ``1.10`` as 1.1; reading that number back as
text (``str(key)``) named an activity no one wrote (``activities.8: the process has no such
activity``). The keys are now taken as the file's text."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import Scenario, ScenarioError, simulate

IDS = ["010", "1.10", "1_000", "0x1A", "1e3", "yes", "null", "2027-01-04"]


def _package(*ids: str) -> Package:
    pb = PackageBuilder("p")
    p = pb.process("proc")
    p.participant("clerk")
    for act in ids:
        p.activity(act, performer="clerk")
    if len(ids) > 1:
        p.sequence(*ids)
    return pb.build()


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text("arrivals: {every: 10m}\nresources: {clerk: 1}\n" + text, encoding="utf-8")
    return path


@pytest.mark.parametrize("act", IDS)
def test_an_unquoted_activity_id_is_read_as_written(tmp_path: Path, act: str) -> None:
    scenario = Scenario.load(_file(tmp_path, f"activities:\n  {act}: {{duration: 4m}}\n"))
    assert list(scenario.activities) == [act]
    report = simulate(_package(act), scenario, instances=2)
    assert report.activities[act].processing.mean == 240.0


def test_an_unknown_numeric_id_is_named_as_written_with_its_line(tmp_path: Path) -> None:
    scenario = Scenario.load(_file(tmp_path, "activities:\n  010: {duration: 4m}\n"))
    with pytest.raises(ScenarioError, match=r"s\.yaml:4: activities\.010: the process has no"):
        simulate(_package("8"), scenario, instances=1)


def test_merged_ids_and_application_ids_are_text_too(tmp_path: Path) -> None:
    text = (
        "activities:\n"
        "  <<: &shared {010: {duration: 1m}}\n"
        "  1.10: {duration: 2m}\n"
        "applications:\n"
        "  007: {duration: 3s}\n"
    )
    scenario = Scenario.load(_file(tmp_path, text))
    assert sorted(scenario.activities) == ["010", "1.10"]
    assert list(scenario.applications) == ["007"]


def test_other_keys_keep_their_yaml_values(tmp_path: Path) -> None:
    """Only ids are text: a ``choice`` between numbers keeps them numbers."""
    text = "data:\n  n: {choice: {1: 0.5, 2: 0.5}}\n"
    scenario = Scenario.load(_file(tmp_path, text))
    assert {scenario.data["n"](random.Random(seed)) for seed in range(20)} == {1, 2}
