"""``wfengine validate --json`` with a file that cannot be read: the contract a script relies
on. The JSON stays one list of findings with the documented codes (a file that cannot be read
is no finding about a definition: no diagnostic code names it), holding every finding of the
files that were read; the unreadable file is named on stderr, and the exit status is 2, which
wins over 1 (an error finding in a readable file), so a script tells a skipped file by the
status, not by the JSON."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tests.cli.documents import DUPLICATE_ID, LEAVE_REQUEST, write
from wfengine.cli.main import main


def test_the_readable_files_findings_are_printed_and_the_status_is_2(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.xpdl", DUPLICATE_ID)
    missing = tmp_path / "missing.xpdl"
    alone = CliRunner().invoke(main, ["validate", "--json", "--no-schema", str(bad)])
    assert alone.exit_code == 1
    with_missing = CliRunner().invoke(
        main, ["validate", "--json", "--no-schema", str(LEAVE_REQUEST), str(bad), str(missing)]
    )
    assert with_missing.exit_code == 2
    findings = json.loads(with_missing.stdout)
    assert findings == json.loads(alone.stdout)  # the clean file adds none, the missing one none
    assert any(f["code"] == "duplicate-id" and f["file"] == str(bad) for f in findings)
    assert all(f["file"] != str(missing) for f in findings)
    assert f"cannot read {missing}" in with_missing.stderr
