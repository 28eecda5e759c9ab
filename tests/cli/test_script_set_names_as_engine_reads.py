"""A ``--script`` step's ``set`` takes the names the engine reads as written, as ``--set`` and
``--answers`` do (8796109).

It took any text key: ``{"set": {"\\ufb01le": 5}}`` (the ligature), which Python reads as
``file``, or ``café`` spelt with a separate combining accent, stored the value under that
other key with ``--allow-undeclared``, and the field the user meant kept its value. Such a
key is now a usage error (exit 2) naming the step and saying what to write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.databases import cli, write
from wfengine.definition.builder import PackageBuilder


def _run(tmp_path: Path, key: str) -> tuple[int, str, str]:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("file", "INTEGER", initial="0")
    p.participant("clerk")
    p.activity("only", performer="clerk")
    steps = tmp_path / "steps.json"
    steps.write_text(json.dumps([{"complete": "only", "set": {key: 5}}]))
    result = cli("run", write(tmp_path, pb), "--script", str(steps), "--allow-undeclared", "--json")
    return result.exit_code, result.output, result.stdout


@pytest.mark.parametrize(
    ("key", "said"),
    [
        ("\ufb01le", "would read as 'file'; write 'file' plainly"),
        ("cafe\u0301", r"'cafe\u0301' is not spelt composed"),
    ],
)
def test_a_key_python_reads_as_another_is_refused_naming_the_step(
    tmp_path: Path, key: str, said: str
) -> None:
    code, output, stdout = _run(tmp_path, key)
    assert code == 2, output
    assert 'step 1: "set": ' in output and said in output
    assert stdout == ""  # nothing ran


def test_a_key_the_engine_reads_is_set(tmp_path: Path) -> None:
    code, output, stdout = _run(tmp_path, "file")
    assert code == 0, output
    assert json.loads(stdout)["data"]["file"] == 5


def test_an_undeclared_key_that_is_no_name_is_refused_naming_the_step(tmp_path: Path) -> None:
    code, output, stdout = _run(tmp_path, "two words")
    assert code == 2, output
    assert "step 1 (complete 'only'): 'two words' is not a name" in output
    assert stdout == ""


def test_a_declared_field_whose_id_is_no_name_is_set(tmp_path: Path) -> None:
    # XPDL allows such an id (a real file has fields with Ids 1, 3 and 4); the step's set
    # wrote it before these checks, and still does
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("order-no", "STRING")
    p.participant("clerk")
    p.activity("only", performer="clerk")
    steps = tmp_path / "steps.json"
    steps.write_text(json.dumps([{"complete": "only", "set": {"order-no": "A-17"}}]))
    result = cli("run", write(tmp_path, pb), "--script", str(steps), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["data"]["order-no"] == "A-17"
