"""A FLOAT must be finite at every level of a value the command line takes: ``[["nan"]]``
into an array of arrays of FLOAT was stored as ``[[NaN]]`` (exit 0) by ``run --set``,
``instance set``, ``run --answers`` and a ``--script`` step's ``set``, while ``["nan"]`` into
an array of FLOAT was refused. Now every level is checked in one place, the field and the
item named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import ArrayType, BasicType, BasicTypeKind
from wfengine.runtime.engine import Engine

_GRID = ArrayType(element=ArrayType(element=BasicType(type=BasicTypeKind.FLOAT)))


def _xpdl(tmp_path: Path) -> str:
    pb = PackageBuilder("p")
    pb.participant("clerk")
    p = pb.process("proc")
    p.data_field("grid", _GRID)
    p.data_field("row", "FLOAT", is_array=True)
    p.start("s0")
    p.activity("a", performer="clerk")
    p.end("e0")
    p.sequence("s0", "a", "e0")
    return write(tmp_path, pb)


@pytest.mark.parametrize(
    ("value", "where", "written"),
    [
        ('[["nan"]]', "[0][0]", "NaN"),
        ('[[1, 2], [3, "1e999"]]', "[1][1]", "Infinity"),
        ('[[], ["-Infinity"]]', "[1][0]", "-Infinity"),
    ],
)
def test_run_set_refuses_a_nested_value_that_is_not_finite(
    tmp_path: Path, value: str, where: str, written: str
) -> None:
    result = cli("run", _xpdl(tmp_path), "--set", f"grid={value}")
    assert result.exit_code == 2, result.output
    assert f"'grid' (array): expected a finite FLOAT at {where}, got {written}" in result.stderr


def test_a_flat_array_still_refused_naming_the_item(tmp_path: Path) -> None:
    result = cli("run", _xpdl(tmp_path), "--set", 'row=[1, "inf"]')
    assert result.exit_code == 2
    assert "'row' (array of FLOAT): expected a finite FLOAT at [1]" in result.stderr


def test_instance_set_refuses_it_and_keeps_what_is_stored(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    xpdl = _xpdl(tmp_path)
    [iid] = cli("instance", "start", xpdl, "--db", url, "--set", "grid=[[1.5]]").stdout.split()
    result = cli("instance", "set", iid, 'grid=[["nan", "Infinity"]]', "--db", url)
    assert result.exit_code == 2
    assert "expected a finite FLOAT at [0][0], got NaN" in result.stderr
    with Engine(db_url=url) as engine:
        assert engine.instance(iid).data["grid"] == [[1.5]]


def test_answers_and_a_script_step_refuse_it(tmp_path: Path) -> None:
    xpdl = _xpdl(tmp_path)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"a": [{"grid": [["NaN"]]}]}))
    result = cli("run", xpdl, "--answers", str(answers))
    assert result.exit_code == 2
    assert "grid: data field 'grid' (array): expected a finite FLOAT at [0][0]" in result.stderr
    script = tmp_path / "script.json"
    script.write_text(json.dumps([{"complete": "a", "set": {"grid": [[0.5, "-inf"]]}}]))
    result = cli("run", xpdl, "--script", str(script))
    assert result.exit_code == 2
    assert "expected a finite FLOAT at [0][1], got -Infinity" in result.stderr


def test_finite_nested_values_still_run(tmp_path: Path) -> None:
    result = cli("run", _xpdl(tmp_path), "--set", 'grid=[["2.5", 1], []]', "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["data"]["grid"] == [[2.5, 1.0], []]
