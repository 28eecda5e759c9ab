"""``--set`` and ``--answers`` check each item of an array (or list) of an enumeration, as the
engine does when the instance starts: a value outside the choices is a usage error (exit 2)
naming the field, before anything runs or is deployed. Before, the CLI took the array as
plain JSON and the engine refused it at start (exit 1, after a ``--db`` deploy)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import ArrayType, DeclaredType, EnumerationType, ListType
from wfengine.runtime.engine import Engine


def _package(tmp_path: Path) -> str:
    pb = PackageBuilder("pkg")
    pb.type_declaration("Colour", EnumerationType(values=("red", "green")))
    pb.type_declaration("Colours", ArrayType(element=DeclaredType(id="Colour")))
    pb.type_declaration("Palette", ListType(element=DeclaredType(id="Colour")))
    p = pb.process("main")
    p.data_field("picked", "Colour", is_array=True)  # an array of the enumeration
    p.data_field("seen", "Colours")  # a declared ArrayType of it
    p.data_field("palette", "Palette")  # a declared ListType of it
    p.activity("only")
    return write(tmp_path, pb)


@pytest.mark.parametrize("field", ["picked", "seen", "palette"])
def test_an_item_outside_the_choices_is_exit_2_naming_the_field(tmp_path: Path, field: str) -> None:
    result = cli("run", _package(tmp_path), "--set", f'{field}=["red", "Blue"]')
    assert result.exit_code == 2, result.output
    assert f"data field {field!r}" in result.output and "'Blue'" in result.output


def test_items_of_the_choices_are_taken(tmp_path: Path) -> None:
    result = cli("run", _package(tmp_path), "--set", 'picked=["red", "green"]', "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["data"]["picked"] == ["red", "green"]


def test_nothing_is_deployed_when_an_item_is_refused(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    xpdl = _package(tmp_path)
    result = cli("instance", "start", xpdl, "--db", url, "--set", 'seen=["nope"]')
    assert result.exit_code == 2, result.output
    with Engine.from_url(url) as engine:
        assert engine.store.deployed_process_ids() == []


def test_answers_check_each_item_too(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"only": [{"palette": ["red", "Blue"]}]}))
    result = cli("run", _package(tmp_path), "--answers", str(answers))
    assert result.exit_code == 2, result.output
    assert "palette" in result.output and "'Blue'" in result.output
