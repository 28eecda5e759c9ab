"""A definition file whose *name* is not UTF-8 (a Latin-1 ``bad\\xff.xpdl``) is as good as
its content: the name reaches Python with a lone surrogate, and the package only keeps it as
bookkeeping (``Package.source_file``) that no written XPDL holds, so no ``xml-character``
finding may come from it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli.documents import LEAVE_REQUEST
from wfengine import load_xpdl, validate
from wfengine.cli.main import main

pytestmark = pytest.mark.skipif(
    sys.platform == "darwin", reason="the file system refuses names that are not UTF-8"
)


@pytest.fixture
def latin1_named(tmp_path: Path) -> str:
    """The shipped leave request under a name holding the byte 0xff."""
    name = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"bad\xff.xpdl"))
    Path(name).write_bytes(LEAVE_REQUEST.read_bytes())
    return name


def test_validate_finds_nothing_in_the_file_name(latin1_named: str) -> None:
    result = CliRunner().invoke(main, ["validate", latin1_named])
    assert result.exit_code == 0, result.output
    assert "xml-character" not in result.output
    assert "0 errors" in result.stderr


def test_the_package_keeps_the_name_but_is_writable(latin1_named: str) -> None:
    package = load_xpdl(latin1_named)
    assert package.source_file == latin1_named
    assert [d.code for d in validate(package) if d.code == "xml-character"] == []


def test_run_deploys_it(latin1_named: str) -> None:
    result = CliRunner().invoke(main, ["run", latin1_named, "--set", "employee_name=Ada"])
    assert result.exit_code == 0, result.output
    assert "cannot be deployed" not in result.output


def test_instance_start_stores_it(latin1_named: str, tmp_path: Path) -> None:
    # (the stored model's JSON could not hold the name: a bare serialisation error)
    db = f"sqlite:///{tmp_path / 'wf.db'}"
    result = CliRunner().invoke(
        main, ["instance", "start", latin1_named, "--db", db, "--set", "employee_name=Ada"]
    )
    assert result.exit_code == 0, result.output
    shown = CliRunner().invoke(main, ["instances", "--db", db, "--json"])
    assert shown.exit_code == 0 and '"process_id": "request_leave"' in shown.output
