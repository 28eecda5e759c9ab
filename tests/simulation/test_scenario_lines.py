"""A scenario file's keys keep their lines: a key written twice is refused (YAML would keep
the last silently), and an error about a key says on which line it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.simulation.helpers import decision

from wfengine.simulation import Scenario, ScenarioError, simulate

_TWICE = """\
arrivals: {poisson: 25/h}
resources:
  clerk: 3
activities:
  check: 5m
resources:
  clerk: 1
"""


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return path


def test_a_section_written_twice_is_refused_naming_both_lines(tmp_path: Path) -> None:
    with pytest.raises(
        ScenarioError, match=r"s\.yaml:6: resources: written twice \(first on line 2\)"
    ):
        Scenario.load(_file(tmp_path, _TWICE))


def test_a_key_written_twice_inside_a_section_is_refused(tmp_path: Path) -> None:
    text = "arrivals: {poisson: 1/h}\nactivities:\n  check: 5m\n  approve: 1m\n  check: 1m\n"
    with pytest.raises(
        ScenarioError, match=r"s\.yaml:5: activities\.check: written twice \(first on line 3\)"
    ):
        Scenario.load(_file(tmp_path, text))


def test_yaml_merge_keys_still_merge(tmp_path: Path) -> None:
    text = (
        "arrivals: {poisson: 1/h}\n"
        "calendars:\n"
        "  base: &base {days: [mon], hours: ['09:00-17:00']}\n"
        "  late: {<<: *base, hours: ['12:00-20:00']}\n"
    )
    assert Scenario.load(_file(tmp_path, text)).arrivals.rate == pytest.approx(1 / 3600)


def test_an_error_about_a_key_names_its_line(tmp_path: Path) -> None:
    text = "arrivals: {poisson: 1/h}\ndata:\n  amount: {uniform: [1]}\n"
    with pytest.raises(ScenarioError, match=r"s\.yaml:3: data\.amount\.uniform: expects"):
        Scenario.load(_file(tmp_path, text))
    text = "arrivals: {poisson: 1/h}\nactivities:\n  check:\n    duration: soon\n"
    scn = Scenario.load(_file(tmp_path, text))  # read against the definition when bound
    with pytest.raises(ScenarioError, match=r"s\.yaml:4: activities\.check\.duration: 'soon'"):
        simulate(decision(), scn, instances=1)


def test_a_key_the_definition_does_not_have_is_named_with_its_line(tmp_path: Path) -> None:
    text = "arrivals: {poisson: 1/h}\n\nactivities:\n  check: 5m\n  chekc: 5m\n"
    scn = Scenario.load(_file(tmp_path, text))
    with pytest.raises(ScenarioError, match=r"s\.yaml:5: activities\.chekc: the process has no"):
        simulate(decision(), scn, instances=1)
