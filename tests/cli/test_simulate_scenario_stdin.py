"""``wfengine simulate FILE --scenario -`` reads the scenario from standard input.

Every other file argument takes ``-``; ``--scenario -`` was read as a file named ``-`` and
refused with "-: cannot read the scenario: No such file or directory". A script that makes
its scenario (one per variant, say) can now pipe it in; an error in it names ``<stdin>`` and
the line, and only one of FILE, ``--scenario`` and ``--compare`` can be standard input.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tests.simulation.helpers import single_server
from wfengine.cli.main import main
from wfengine.definition.io import dump_xpdl

SCENARIO = """\
name: one server
arrivals: {poisson: 10/h}
activities:
  serve: {duration: {exponential: 5m}}
"""


def _definition(tmp_path: Path) -> str:
    definition = tmp_path / "queue.xpdl"
    definition.write_bytes(dump_xpdl(single_server()))
    return str(definition)


def _simulate(stdin: str | bytes, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["simulate", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_scenario_from_stdin_gives_the_report_of_the_same_file(tmp_path: Path) -> None:
    definition = _definition(tmp_path)
    scenario = tmp_path / "one.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    args = [definition, "--instances", "20", "--json"]
    code, piped, err = _simulate(SCENARIO, *args, "--scenario", "-")
    assert code == 0, err
    _, from_file, _ = _simulate("", *args, "--scenario", str(scenario))
    assert json.loads(piped) == json.loads(from_file)


def test_an_error_in_a_piped_scenario_names_stdin_and_the_line(tmp_path: Path) -> None:
    code, out, err = _simulate(SCENARIO + "bogus: 1\n", _definition(tmp_path), "--scenario", "-")
    assert code == 2 and out == ""
    assert "<stdin>:5: unknown key 'bogus'" in err


def test_a_piped_scenario_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    code, _, err = _simulate(b"name: x\n\xff\n", _definition(tmp_path), "--scenario", "-")
    assert code == 2
    assert "<stdin>:2: not UTF-8 text" in err


def test_only_one_argument_can_be_stdin(tmp_path: Path) -> None:
    code, _, err = _simulate(SCENARIO, "-", "--scenario", "-")
    assert code == 2
    assert "only one of FILE, --scenario and --compare can be standard input" in err
