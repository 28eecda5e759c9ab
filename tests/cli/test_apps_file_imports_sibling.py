"""``--apps FILE.py`` can import the modules beside FILE while it is imported, as ``python
FILE.py`` can (it failed with ModuleNotFoundError where ``--apps MODULE`` worked), and its
directory is off ``sys.path`` again once it is imported."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from wfengine.cli.run_cmd import run
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.io import dump_xpdl

HELPER = "wf_test_sibling_helper"

APPS = f"""
from {HELPER} import double


def register(registry):
    registry.register("double", double)
"""


@pytest.fixture
def apps_dir(tmp_path: Path) -> Iterator[Path]:
    where = tmp_path / "host"
    where.mkdir()
    (where / f"{HELPER}.py").write_text("def double(n):\n    return {'n': n * 2}\n")
    (where / "myapps.py").write_text(APPS)
    yield where
    sys.modules.pop(HELPER, None)


def _xpdl(tmp_path: Path) -> str:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="21")
    p.application("double", params=[("n", "INOUT", "INTEGER")])
    p.activity("call", tool="double", args=["n"])
    path = tmp_path / "p.xpdl"
    path.write_bytes(dump_xpdl(pb.build()))
    return str(path)


def test_a_py_file_imports_the_module_beside_it(tmp_path: Path, apps_dir: Path) -> None:
    apps = str(apps_dir / "myapps.py")
    result = CliRunner().invoke(run, [_xpdl(tmp_path), "--apps", apps, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["data"] == {"n": 42}
    # off again: a json.py lying there would be the json of what the run imports later
    assert str(apps_dir.resolve()) not in sys.path
