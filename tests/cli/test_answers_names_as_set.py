"""``run --answers`` refuses a variable name as ``--set NAME=VALUE`` does, saying the same.

Its keys follow the engine's name rule, but a name Python reads as another (``ﬁle`` as
``file``, ``café`` spelt with a separate combining accent) was told "use letters, digits and
underscores", which it already was, so the user did not learn what to write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.databases import cli, write
from wfengine.definition.builder import PackageBuilder


def _process(tmp_path: Path) -> str:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("file", "INTEGER", initial="0")
    p.activity("review", performer="clerk")
    return write(tmp_path, pb)


def _refusal(*args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""  # nothing ran
    return " ".join(result.output.split())  # (click wraps the message)


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("\ufb01le", "would read as 'file'; write 'file' plainly"),
        ("cafe\u0301", r"'cafe\u0301' is not spelt composed"),
        ("2x", "'2x' is not a name: use letters, digits and underscores"),
    ],
)
def test_answers_and_set_refuse_a_name_saying_the_same(
    tmp_path: Path, name: str, said: str
) -> None:
    xpdl = _process(tmp_path)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"review": [{name: 1}]}), encoding="utf-8")
    by_answers = _refusal("run", xpdl, "--answers", str(answers), "--allow-undeclared")
    by_set = _refusal("run", xpdl, "--set", f"{name}=1", "--allow-undeclared")
    assert said in by_answers and said in by_set
    assert "an answer for 'review'" in by_answers
