"""``wfengine render FILE --process nope`` names the unknown process as ``wfengine run`` does
(exit 2). Before, it said the library function's text ("no process 'nope' (package_to_dot:
package 'leave_request' has: request_leave)"), a name the user never typed."""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import cli

LEAVE = str(Path(__file__).resolve().parents[2] / "examples" / "leave_request.xpdl")
SAID = "--process: package 'leave_request' has no process 'nope' (has: request_leave)"


def test_render_names_an_unknown_process_as_run_does(tmp_path: Path) -> None:
    out = tmp_path / "r.dot"
    rendered = cli("render", LEAVE, "-o", str(out), "--process", "nope")
    assert rendered.exit_code == 2, rendered.output
    assert "package_to_dot" not in rendered.output
    assert f"Error: {SAID}" in rendered.stderr
    assert not out.exists()
    ran = cli("run", LEAVE, "--process", "nope")
    assert ran.exit_code == 2, ran.output
    assert f"Error: {SAID}" in ran.stderr
