"""A scenario file's unknown top-level key names its line, as every other key's error does,
and an error reading the scenario given to ``--compare OTHER`` starts with ``--compare
OTHER:``, as the second variant's other errors do. Before, the top-level key's message named
no line (its shape hid the key from the locator) and a load error of OTHER read as if it were
about the first variant's files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.simulation.helpers import single_server

from wfengine.cli.main import main
from wfengine.definition.io import dump_xpdl
from wfengine.simulation import Scenario, ScenarioError


def test_an_unknown_top_level_key_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("name: x\narrivals: {poisson: 10/h}\nresource: {server: 3}\n", "utf-8")
    where = re.escape(str(path))
    with pytest.raises(ScenarioError, match=rf"^{where}:3: unknown key 'resource' \(known: "):
        Scenario.load(path)


def test_an_unknown_nested_key_names_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    text = "arrivals: {poisson: 10/h}\nresources:\n  server:\n    count: 2\n    calender: x\n"
    path.write_text(text, "utf-8")
    where = re.escape(str(path))
    with pytest.raises(ScenarioError, match=rf"^{where}:5: resources\.server: unknown key"):
        Scenario.load(path)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (None, "cannot read the scenario"),
        ("arrivals: {poisson: 10/h\n", "not YAML"),
        ("arrivals: {poisson: 10/h}\nresource: {server: 3}\n", "unknown key 'resource'"),
    ],
)
def test_a_load_error_of_the_compared_scenario_names_the_option(
    tmp_path: Path, text: str | None, says: str
) -> None:
    definition, first, other = tmp_path / "d.xpdl", tmp_path / "a.yaml", tmp_path / "b.yaml"
    definition.write_bytes(dump_xpdl(single_server()))
    first.write_text("arrivals: {poisson: 10/h}\n", encoding="utf-8")
    if text is not None:
        other.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["simulate", str(definition), "--scenario", str(first), "--compare", str(other)]
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: --compare {other}: {other}")
    assert says in result.stderr
