"""A definition given to ``--compare`` that cannot be loaded (no such file, broken XPDL) is an
error starting with ``--compare OTHER:``, as README promises for an error about the second
variant, with the exit status FILE's would have. Before, it read as FILE's own error."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from tests.simulation.helpers import single_server

from wfengine.cli.main import main
from wfengine.definition.io import dump_xpdl


def _compare(tmp_path: Path, other: Path) -> tuple[int, str]:
    one = tmp_path / "one.xpdl"
    one.write_bytes(dump_xpdl(single_server()))
    scn = tmp_path / "a.yaml"
    scn.write_text("arrivals: {poisson: 10/h}\nactivities: {serve: 5m}\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["simulate", str(one), "--scenario", str(scn), "--compare", str(other)]
    )
    assert result.stdout == ""
    return result.exit_code, result.stderr


def test_a_missing_compared_definition_is_named_as_the_second_variants(tmp_path: Path) -> None:
    other = tmp_path / "two.xpdl"
    status, told = _compare(tmp_path, other)
    assert status == 2
    assert told.startswith(f"Error: --compare {other}: cannot read {other}: ")


def test_a_broken_compared_definition_is_named_as_the_second_variants(tmp_path: Path) -> None:
    other = tmp_path / "two.xpdl"
    other.write_text("<Package", encoding="utf-8")
    status, told = _compare(tmp_path, other)
    assert status == 1
    diagnostic, error = told.splitlines()
    assert diagnostic.startswith(f"{other}:1: error xml-malformed: ")
    assert error == f"Error: --compare {other}: {other} cannot be loaded"


def test_the_first_definitions_own_error_is_unchanged(tmp_path: Path) -> None:
    missing = tmp_path / "none.xpdl"
    scn = tmp_path / "a.yaml"
    scn.write_text("arrivals: {poisson: 10/h}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["simulate", str(missing), "--scenario", str(scn)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot read {missing}: ")
