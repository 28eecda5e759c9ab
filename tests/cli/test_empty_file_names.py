"""An empty file name is refused as one (exit 2): ``Path("")`` is the current directory, and
``org load ''``, ``run --answers ''`` and ``run --script ''`` said "cannot read : Is a
directory"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url

LEAVE = str(Path(__file__).parents[2] / "examples" / "leave_request.xpdl")


@pytest.mark.parametrize(
    "args",
    [
        ("validate", ""),
        ("run", LEAVE, "--answers", ""),
        ("run", LEAVE, "--script", ""),
    ],
)
def test_an_empty_file_name_is_refused_as_one(args: tuple[str, ...]) -> None:
    out = cli(*args)
    assert out.exit_code == 2, out.output
    assert "cannot read '': the file name is empty" in out.output


def test_org_load_of_an_empty_file_name_is_refused_as_one(tmp_path: Path) -> None:
    out = cli("org", "load", "", "--db", sqlite_url(tmp_path))
    assert out.exit_code == 2, out.output
    assert "cannot read '': the file name is empty" in out.output
