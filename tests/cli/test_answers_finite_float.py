"""``run --answers`` and a ``--script`` step's ``set`` take a FLOAT finite, as ``--set``
does: ``"NaN"`` or ``"-Infinity"`` is a usage error naming the field, not a run that goes on
with a value no condition can order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.databases import cli, write
from wfengine import PackageBuilder


def _xpdl(tmp_path: Path) -> str:
    pb = PackageBuilder("p")
    pb.participant("clerk")
    p = pb.process("proc")
    p.data_field("f", "FLOAT")
    p.data_field("fs", "FLOAT", is_array=True)
    p.start("s0")
    p.activity("a", performer="clerk")
    p.end("e0")
    p.sequence("s0", "a", "e0")
    return write(tmp_path, pb)


@pytest.mark.parametrize("value", ["NaN", "-Infinity", "inf"])
def test_answers_refuse_a_value_that_is_not_finite(tmp_path: Path, value: str) -> None:
    xpdl = _xpdl(tmp_path)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"a": [{"f": value}]}))
    result = cli("run", xpdl, "--answers", str(answers))
    assert result.exit_code == 2
    assert "data field 'f' (FLOAT): expected a finite FLOAT" in result.stderr


def test_a_script_step_refuses_an_item_that_is_not_finite(tmp_path: Path) -> None:
    xpdl = _xpdl(tmp_path)
    script = tmp_path / "script.json"
    script.write_text(json.dumps([{"complete": "a", "set": {"fs": [1, "NaN"]}}]))
    result = cli("run", xpdl, "--script", str(script))
    assert result.exit_code == 2
    assert "'fs' (array of FLOAT): expected a finite FLOAT" in result.stderr


def test_finite_values_still_run(tmp_path: Path) -> None:
    xpdl = _xpdl(tmp_path)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"a": [{"f": "2.5", "fs": [1, 2]}]}))
    result = cli("run", xpdl, "--answers", str(answers), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["data"] == {"f": 2.5, "fs": [1.0, 2.0]}
