"""An empty file name is refused saying so, as ``load_xpdl("")`` is: ``Path("")`` is the
current directory, and ``Scenario.load("")`` said ".: cannot read the scenario: Is a
directory" (a trace or organisation the scenario names as ``""`` its own directory)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine.simulation import Scenario, ScenarioError


def test_scenario_load_of_an_empty_path_says_so() -> None:
    with pytest.raises(ScenarioError, match=r"Scenario\.load: the path is empty \(''\)"):
        Scenario.load("")
    with pytest.raises(ValueError, match=r"pass the path of a scenario file"):
        Scenario.load("")  # a ValueError, as load_xpdl("") raises


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('arrivals: {trace: ""}\n', r"arrivals\.trace"),
        ('arrivals: {every: 1m}\norganisation: ""\n', r"organisation"),
    ],
)
def test_an_empty_file_name_in_a_scenario_names_its_key(
    tmp_path: Path, text: str, key: str
) -> None:
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=rf"{key}.*the file name is empty"):
        Scenario.load(tmp_path / "s.yaml")
