"""The notes of what a stored deployment reads as then are said once, and only where they can
matter.

Every command compiling a marked version (status, stats, audit, worker start) printed each
note on stderr as a warning, eleven lines for eleven processes every time, and ``Math.max(n1,
n2)`` of two FLOAT fields (or two DATETIMEs) was noted as taking text, with advice to convert
text. Now ``wfengine db upgrade`` says them as warnings when it marks the versions, ordinary
compiles log them at INFO, and a note whose fields are declared so that both readings agree
is not said."""

from __future__ import annotations

import logging

import pytest
from click.testing import CliRunner

from wfengine import Engine, PackageBuilder
from wfengine.cli.main import main
from wfengine.definition.model import Package
from wfengine.runtime.sql import migrate


def _package() -> Package:
    pb = PackageBuilder("pkg", script="text/java")
    p = pb.process("proc")
    p.data_field("n1", "FLOAT", initial="3.0")
    p.data_field("n2", "FLOAT", initial="7.0")
    p.data_field("a", "STRING", initial="c")
    p.start("s")
    p.route("r", gateway="Exclusive")
    p.activity("yes").activity("no")
    p.end("e1").end("e2")
    p.sequence("s", "r").sequence("yes", "e1").sequence("no", "e2")
    p.transition("r", "yes", condition='Math.max(n1, n2) > 5 && a.compareTo("a") == 1')
    p.transition("r", "no", otherwise=True)
    return pb.build()


def _said(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "wfengine.deploy"]


def test_notes_are_info_on_a_compile_and_leave_out_numeric_fields(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with Engine(db_url=db_url) as e:
        e.deploy(_package())
    migrate.downgrade(db_url, "0025")
    migrate.upgrade(db_url)  # (marks it stored before)
    with caplog.at_level(logging.INFO, "wfengine.deploy"), Engine(db_url=db_url) as e:
        iid = e.start_process("proc")
        assert e.trace(iid) == ["s", "r", "yes", "e1"]  # compareTo's sign, as then
    [(level, note)] = _said(caplog)
    assert level == logging.INFO
    assert "process 'proc' (deployed earlier): compareTo()" in note
    assert "takes text and booleans" not in note  # (the [(level, note)]: no Math note)


def test_db_upgrade_says_them_once_as_warnings(db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("the CLI's upgrade is the same on each store; SQLite shows it")
    with Engine(db_url=db_url) as e:
        e.deploy(_package())
    migrate.downgrade(db_url, "0025")
    result = CliRunner().invoke(main, ["db", "upgrade", "--db", db_url])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "deployed earlier" in line]
    assert len(lines) == 1 and "compareTo()" in lines[0]
    again = CliRunner().invoke(main, ["db", "upgrade", "--db", db_url])
    assert "deployed earlier" not in again.stderr
