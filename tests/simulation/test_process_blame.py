"""An unknown process id is blamed on where it came from: ``--process`` (the API's
``process_id``) or the scenario's ``process`` key. Before, ``--process nope`` was reported as
``s.yaml: process: ...``, sending the user to a scenario file that has no process key."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.simulation.helpers import scenario, single_server

from wfengine.cli.main import main
from wfengine.definition.io import dump_xpdl
from wfengine.simulation import ScenarioError, simulate


def _files(tmp_path: Path, text: str) -> tuple[str, str]:
    definition = tmp_path / "queue.xpdl"
    definition.write_bytes(dump_xpdl(single_server()))
    scn = tmp_path / "s.yaml"
    scn.write_text(text, encoding="utf-8")
    return str(definition), str(scn)


def test_the_cli_blames_the_process_option(tmp_path: Path) -> None:
    definition, scn = _files(tmp_path, "arrivals: {poisson: 10/h}\n")
    args = ["simulate", definition, "--scenario", scn, "--process", "nope"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "Error: --process: package 'queue' has no process 'nope' (has: queue)" in result.stderr
    assert "s.yaml" not in result.stderr


def test_the_cli_blames_the_scenarios_process_key_with_its_line(tmp_path: Path) -> None:
    definition, scn = _files(tmp_path, "arrivals: {poisson: 10/h}\nprocess: nope\n")
    result = CliRunner().invoke(main, ["simulate", definition, "--scenario", scn])
    assert result.exit_code == 2
    assert f"{scn}:2: process: package 'queue' has no process 'nope'" in result.stderr


def test_the_api_blames_process_id() -> None:
    with pytest.raises(ScenarioError) as caught:
        simulate(single_server(), scenario(), process_id="nope", instances=1)
    assert str(caught.value).startswith("process_id: package 'queue' has no process 'nope'")


def test_the_api_blames_the_scenarios_process_key() -> None:
    with pytest.raises(ScenarioError, match=r"^test\.yaml: process: package 'queue' has no"):
        simulate(single_server(), scenario(process="nope"), instances=1)
