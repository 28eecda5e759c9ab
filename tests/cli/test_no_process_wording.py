"""A file with no workflow process (a participant repository) is told as the file's, in one
wording by every command that needs a process: ``FILE has no workflow process (package
'repo')``. Before, ``run`` and ``instance start`` said ``--process: ...`` though no
``--process`` was given, ``simulate`` blamed the scenario file (``sc.yaml: process: ...``),
which has no ``process`` key, and ``render`` worded it its own way (found by a QA pass;
README: an option's refusal names the option). What the user did give is still blamed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.io import dump_xpdl
from wfengine.simulation import Scenario, ScenarioError, simulate

LEAVE_REQUEST = str(Path(__file__).resolve().parents[2] / "examples" / "leave_request.xpdl")


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str, str]:
    """The repository file (no process), a scenario naming no process, a database URL."""
    repository = tmp_path / "repository.xpdl"
    repository.write_bytes(dump_xpdl(PackageBuilder("repo").build()))
    scenario = tmp_path / "sc.yaml"
    scenario.write_text('arrivals: {poisson: "4/h"}\n', encoding="utf-8")
    return str(repository), str(scenario), f"sqlite:///{tmp_path / 'wf.db'}"


def _refusal(args: list[str]) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    return result.stderr.strip()


def test_every_command_says_the_file_has_no_workflow_process(
    files: tuple[str, str, str], tmp_path: Path
) -> None:
    repository, scenario, url = files
    said = f"Error: {repository} has no workflow process (package 'repo')"
    for args in (
        ["run", repository],
        ["instance", "start", repository, "--db", url],
        ["simulate", repository, "--scenario", scenario],
        ["render", repository, "-o", str(tmp_path / "x.dot")],
    ):
        assert _refusal(args) == said, args


def test_the_compared_definition_is_named_as_well(files: tuple[str, str, str]) -> None:
    repository, scenario, _ = files
    args = ["simulate", LEAVE_REQUEST, "--scenario", scenario, "--compare", repository]
    assert _refusal(args) == f"Error: {repository} has no workflow process (package 'repo')"


def test_a_process_option_given_is_still_what_is_blamed(files: tuple[str, str, str]) -> None:
    repository, scenario, url = files
    said = "Error: --process: package 'repo' has no process 'p' (has: none)"
    for args in (
        ["run", repository, "--process", "p"],
        ["instance", "start", repository, "--db", url, "--process", "p"],
        ["simulate", repository, "--scenario", scenario, "--process", "p"],
    ):
        assert _refusal(args) == said, args


def test_the_api_blames_no_scenario_that_named_no_process() -> None:
    scenario = Scenario.from_data({"arrivals": {"poisson": "4/h"}}, source="sc.yaml")
    with pytest.raises(ScenarioError) as caught:
        simulate(PackageBuilder("repo").build(), scenario, instances=1)
    assert str(caught.value) == "package 'repo' has no workflow process"
