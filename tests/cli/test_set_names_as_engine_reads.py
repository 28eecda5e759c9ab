"""``--set NAME=VALUE`` takes the names the engine reads as written, no others.

The CLI took any ``str.isidentifier`` name: ``--set ﬁle=1`` (the ligature ``ﬁ``), which
Python reads as ``file``, or ``café`` spelt with a separate combining accent, stored the
value under that other key with ``--allow-undeclared``, and the field the user meant kept its
value. Such a NAME is now a usage error saying what to write. A keyword stays a name: a
JavaScript package's expressions read a field called ``from``."""

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
    p.activity("only")
    return write(tmp_path, pb)


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("\ufb01le", "would read as 'file'; write 'file' plainly"),
        ("cafe\u0301", r"'cafe\u0301' is not spelt composed"),
    ],
)
def test_a_name_python_reads_as_another_is_refused_saying_what_to_write(
    tmp_path: Path, name: str, said: str
) -> None:
    result = cli("run", _process(tmp_path), "--set", f"{name}=1", "--allow-undeclared", "--json")
    assert result.exit_code == 2, result.output
    assert said in result.output
    assert result.stdout == ""  # nothing ran


def test_names_the_engine_reads_are_taken(tmp_path: Path) -> None:
    sets = ("file=1", "gr\u00f6\u00dfe=2", "from=3")  # ASCII, composed non-ASCII, a keyword
    args = [a for s in sets for a in ("--set", s)]
    result = cli("run", _process(tmp_path), *args, "--allow-undeclared", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)["data"]
    assert (data["file"], data["gr\u00f6\u00dfe"], data["from"]) == (1, 2, 3)
