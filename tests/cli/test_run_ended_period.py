"""``run FILE`` and ``instance start FILE`` for a process whose ValidTo has passed say that
its period ended and a new version is needed: they said it "starts instances once its period
holds", which a period that ended never does again. One whose period is still to come keeps
saying that."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from wfengine import dump_xpdl
from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder


def _file(tmp_path: Path, **header: str) -> str:
    pb = PackageBuilder("shop")
    p = pb.process("order")
    p.start("s").end("e").sequence("s", "e")
    package = pb.build()
    (process,) = package.workflow_processes
    process = process.model_copy(update={"header": process.header.model_copy(update=header)})
    path = tmp_path / "order.xpdl"
    path.write_bytes(dump_xpdl(package.model_copy(update={"workflow_processes": (process,)})))
    return str(path)


@pytest.mark.parametrize("command", ["run", "instance start"])
def test_an_ended_period_says_it_ended_and_a_new_version_is_needed(
    tmp_path: Path, command: str
) -> None:
    path = _file(tmp_path, valid_to="2010-12-31")
    db = ["--db", f"sqlite:///{tmp_path / 'wf.db'}"] if command != "run" else []
    result = CliRunner().invoke(main, [*command.split(), path, *db])
    assert result.exit_code == 1, result.output
    assert "ValidTo '2010-12-31' ended at 2011-01-01T00:00:00+00:00" in result.output
    assert "deploy a new version with a later ValidTo" in result.output
    assert "once its period holds" not in result.output


def test_a_period_to_come_says_it_starts_once_it_holds(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["run", _file(tmp_path, valid_from="2999-01-01")])
    assert result.exit_code == 1, result.output
    assert "valid from 2999-01-01" in result.output
    assert "starts instances once its period holds" in result.output


@pytest.mark.parametrize("command", ["run", "instance start"])
@pytest.mark.parametrize(
    ("start", "end"), [("2031-01-01", "2030-01-01"), ("2020-01-01", "2019-01-01")]
)
def test_an_empty_period_says_no_instance_ever_starts(
    tmp_path: Path, command: str, start: str, end: str
) -> None:
    """ValidFrom not before ValidTo, to come or past: it said "starts instances once its
    period holds" (or that it ended), which an empty period never does."""
    path = _file(tmp_path, valid_from=start, valid_to=end)
    db = ["--db", f"sqlite:///{tmp_path / 'wf.db'}"] if command != "run" else []
    result = CliRunner().invoke(main, [*command.split(), path, *db])
    assert result.exit_code == 1, result.output
    assert f"ValidFrom '{start}' is not before ValidTo '{end}'" in result.output
    assert "no instance of it ever starts" in result.output
    assert "deploy a new version with ValidFrom before ValidTo" in result.output
    assert "once its period holds" not in result.output
