"""Every id a scenario file keys by is read as written, not only those under ``activities`` and
``applications``: a split's id and its ways (``branches``), a participant's (``resources``)
and a data field's (``data``). YAML 1.1 reads an unquoted ``010`` as 8 and ``1.10`` as 1.1,
so ``branches: {020: {030: 0.7, 1.10: 0.3}}`` named the split ``16`` and the ways ``24`` and
``1.1``, and ``resources: {010: 2}`` a participant ``8``: ids no one wrote, refused by the
checks before anything ran. The values under those ids keep YAML's reading."""

from __future__ import annotations

import random
from pathlib import Path

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import Scenario, simulate


def _numbered() -> Package:
    """020 (by participant 010) -> 030 | 1.10, with a data field numbered 1.20."""
    pb = PackageBuilder("numbered")
    p = pb.process("numbered")
    p.participant("010")
    p.data_field("amount", "INTEGER", initial="0")
    p.data_field("1.20", "INTEGER", initial="0")
    p.activity("020", performer="010")
    p.activity("030", performer="010").activity("1.10", performer="010")
    p.transition("020", "030", condition="amount < 100", id="040")
    p.transition("020", "1.10", otherwise=True, id="050")
    return pb.build()


def _load(tmp_path: Path, text: str) -> Scenario:
    path = tmp_path / "s.yaml"
    path.write_text("arrivals: {every: 10m}\n" + text, encoding="utf-8")
    return Scenario.load(path)


def test_branch_resource_and_data_ids_are_read_as_written(tmp_path: Path) -> None:
    text = (
        "resources: {010: 2}\n"
        "data: {1.20: {randint: [1, 2]}}\n"
        "activities: {020: 4m, 030: 1m, 1.10: 1m}\n"
        "branches:\n"
        "  020: {030: 0, 1.10: 1}\n"
    )
    scenario = _load(tmp_path, text)
    assert list(scenario.resources) == ["010"]
    assert scenario.resources["010"].count == 2
    assert list(scenario.data) == ["1.20"]
    assert scenario.branches == {"020": {"030": 0.0, "1.10": 1.0}}
    # the definition's ids: bound and run (old: "resources.8: ... no such participant")
    report = simulate(_numbered(), scenario, instances=4)
    assert report.replications[0].metrics.completed == 4
    assert report.activities["1.10"].count.mean == 4  # every case took the way 1.10
    assert "030" not in report.activities or report.activities["030"].count.mean == 0


def test_ways_named_by_transition_ids_and_merged_ways_are_text_too(tmp_path: Path) -> None:
    text = "branches:\n  020:\n    <<: &ways {040: 0.25}\n    050: 0.75\n"
    scenario = _load(tmp_path, text)
    assert scenario.branches == {"020": {"040": 0.25, "050": 0.75}}


def test_values_under_numeric_ids_keep_their_yaml_reading(tmp_path: Path) -> None:
    """Only the ids are text: a count stays a count, a choice between numbers stays numbers."""
    text = "resources: {010: {count: 3}}\ndata: {1.20: {choice: {1: 0.5, 2: 0.5}}}\n"
    scenario = _load(tmp_path, text)
    assert scenario.resources["010"].count == 3
    assert {scenario.data["1.20"](random.Random(seed)) for seed in range(20)} == {1, 2}
