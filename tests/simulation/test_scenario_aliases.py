"""A scenario file's anchors and aliases are read at the size they are written: aliases of
aliases ("billion laughs") and an alias inside its own anchor are refused before the
document is built, and the walk recording each key's line visits each node once."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine.simulation import Scenario, ScenarioError
from wfengine.simulation.scenario_yaml import MAX_REPEATED_NODES, read_yaml


def _laughs(levels: int) -> str:
    """A scenario whose line n holds ten aliases of line n-1: 10**levels nodes expanded."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(["arrivals: {poisson: 1/h}", *lines]) + "\n"


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return path


def test_the_lines_recorded_grow_with_the_file_not_with_what_aliases_expand_to() -> None:
    # 4 levels expand to 11,111 nodes (allowed); each written entry gets one line, none
    # is recorded under an alias
    _data, lines = read_yaml(_laughs(4), "s.yaml")
    assert len(lines) <= 50
    assert lines["a3"] == 5 and lines["a3[9]"] == 5
    assert "a3[9][0]" not in lines


def test_aliases_of_aliases_are_refused_naming_the_line(tmp_path: Path) -> None:
    # 5 levels: 288 bytes that expand to 111,111 nodes
    with pytest.raises(
        ScenarioError,
        match=rf"s\.yaml:6: a4\[\d\]: the aliases repeat more than {MAX_REPEATED_NODES}",
    ):
        Scenario.load(_file(tmp_path, _laughs(5)))


def test_merge_keys_of_merge_keys_are_counted_too() -> None:
    lines = ["a0: &a0 {" + ", ".join(f"k{n}: 1" for n in range(10)) + "}"]
    for i in range(1, 6):
        lines.append(f"a{i}: &a{i} {{<<: [" + ", ".join([f"*a{i - 1}"] * 10) + "]}")
    with pytest.raises(ScenarioError, match="the aliases repeat more than"):
        read_yaml("\n".join(lines) + "\n", "s.yaml")


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    text = "arrivals: {poisson: 1/h}\npolicy: &p [*p]\n"
    with pytest.raises(
        ScenarioError, match=r"s\.yaml:2: policy\[0\]: an alias inside its own anchor"
    ):
        Scenario.load(_file(tmp_path, text))


def test_a_document_nested_too_deeply_is_a_scenario_error(tmp_path: Path) -> None:
    text = "arrivals: {poisson: 1/h}\ninstances: " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(ScenarioError, match=r"s\.yaml: nested too deeply"):
        Scenario.load(_file(tmp_path, text))


def test_shared_settings_keep_their_lines_where_they_are_written() -> None:
    text = (
        "calendars:\n"
        "  base: &base {days: [mon], hours: ['09:00-17:00']}\n"
        "  late: {<<: *base, hours: ['12:00-20:00']}\n"
        "  same: *base\n"
    )
    data, lines = read_yaml(text, "s.yaml")
    assert data["calendars"]["late"]["days"] == ["mon"]
    assert data["calendars"]["same"] == data["calendars"]["base"]
    assert lines["calendars.base.days"] == 2
    assert lines["calendars.late.hours"] == 3 and lines["calendars.same"] == 4


def test_aliases_of_aliases_are_named_only_when_so() -> None:
    # a plain list of 12,000 aliases of one list was blamed on "aliases of aliases"
    plain = "d: &d [x, x, x, x, x, x, x, x, x, x]\ntrace: [" + ", ".join(["*d"] * 12_000) + "]\n"
    with pytest.raises(ScenarioError) as caught:
        read_yaml(plain, "s.yaml")
    assert "the aliases repeat more than" in str(caught.value)
    assert "aliases of aliases" not in str(caught.value)
    with pytest.raises(ScenarioError, match="aliases of aliases multiply"):
        read_yaml(_laughs(5), "s.yaml")
