"""``run FILE --script STEPS`` judges FILE's ValidFrom/ValidTo at the current time, as a run
without steps does: its virtual clock started at 2000-01-01 without --db, refusing a process
valid from 2020 and running one whose period ended in 2010."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from wfengine import dump_xpdl
from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder


def _file(tmp_path: Path, **header: str) -> str:
    pb = PackageBuilder("shop")
    p = pb.process("order")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s").activity("a", script="n = 1").end("e").sequence("s", "a", "e")
    package = pb.build()
    (process,) = package.workflow_processes
    process = process.model_copy(update={"header": process.header.model_copy(update=header)})
    path = tmp_path / "order.xpdl"
    path.write_bytes(dump_xpdl(package.model_copy(update={"workflow_processes": (process,)})))
    return str(path)


@pytest.mark.parametrize(
    ("header", "exit_code"),
    [({"valid_from": "2020-01-01"}, 0), ({"valid_to": "2010-12-31"}, 1)],
    ids=["valid-from-2020", "ended-2010"],
)
def test_a_run_with_steps_judges_validity_now(
    tmp_path: Path, header: dict[str, str], exit_code: int
) -> None:
    steps = tmp_path / "steps.json"
    steps.write_text(json.dumps([{"advance": "PT1M"}]))
    path = _file(tmp_path, **header)
    without = CliRunner().invoke(main, ["run", path])
    with_steps = CliRunner().invoke(main, ["run", path, "--script", str(steps)])
    assert without.exit_code == exit_code, without.output
    assert with_steps.exit_code == exit_code, with_steps.output
