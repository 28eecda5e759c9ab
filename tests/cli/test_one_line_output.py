"""Plain-text outputs keep one line per row or finding: a user id or an element Id holding a
line break (or a terminal escape) is shown escaped, so it cannot print a forged row of the
``audit`` table or a forged finding of ``validate``."""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import cli, sqlite_url
from tests.cli.documents import LEAVE_REQUEST
from wfengine.cli.database import engine_on
from wfengine.definition.diagnostics import make
from wfengine.one_line import one_line

_FORGED_ROW = "2026-12-05T07:42:39+00:00        pi-1               99  instance.completed  -  root"


def test_control_characters_are_escaped_and_other_text_kept() -> None:
    assert one_line("a\nb\r\tc\x1b[2J\x85\u2028\u202e") == "a\\nb\\r\\tc\\x1b[2J\\x85\\u2028\\u202e"
    assert one_line("Zoë \\n 山田 'x'") == "Zoë \\n 山田 'x'"


def test_a_user_id_with_a_line_break_cannot_forge_an_audit_row(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    assert cli("instance", "start", str(LEAVE_REQUEST), "--db", db).exit_code == 0
    with engine_on(db) as engine:  # the start's job, as a worker would (wi-1 offered)
        while engine.run_due_jobs():
            pass
    refused = cli("workitem", "claim", "wi-1", "--db", db, "--user", f"mallory\n{_FORGED_ROW}")
    assert refused.exit_code != 0  # (refused: recorded as operation.refused by that user)
    table = cli("audit", "--db", db)
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert not any(line.startswith("2026-12-05T07:42:39") for line in lines)
    [row] = [line for line in lines if "mallory" in line]
    assert f" mallory\\n{_FORGED_ROW} " in row and " operation.refused " in row


def test_a_finding_stays_on_one_line_whatever_its_element_id_holds() -> None:
    forged = "x\nleave.xpdl:1: error forged-code: everything is fine"
    finding = make("dangling-transition", f"transition {forged!r} ...", element_id=forged, line=3)
    text = finding.format("inj.xpdl")
    assert "\n" not in text
    assert text.endswith("[x\\nleave.xpdl:1: error forged-code: everything is fine]")
    raw = make("duplicate-id", "two share x\ry", element_id="e\x1b[31m")
    assert raw.format("f.xpdl") == "f.xpdl: error duplicate-id: two share x\\ry [e\\x1b[31m]"


def test_validate_prints_an_id_written_with_a_character_reference_escaped(
    tmp_path: Path,
) -> None:
    text = LEAVE_REQUEST.read_text(encoding="utf-8")
    plain = '<Transition Id="submitted" From="submit" To="check_length"/>'
    assert plain in text
    extra = (
        '<Transition Id="x&#10;leave.xpdl:1: error forged-code: everything is fine" '
        'From="submit" To="nowhere"/>'
    )
    path = tmp_path / "inj.xpdl"
    path.write_text(text.replace(plain, plain + extra), encoding="utf-8")
    out = cli("validate", str(path))
    assert out.exit_code == 1
    assert not any(line.startswith("leave.xpdl:1:") for line in out.output.splitlines())
    assert "[x\\nleave.xpdl:1: error forged-code: everything is fine]" in out.output
