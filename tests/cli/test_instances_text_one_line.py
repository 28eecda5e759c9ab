"""``wfengine instances`` text keeps one line of three tab-separated columns per instance: a
process Id written with ``&#10;``/``&#9;`` (validate only warns ``id-syntax``; it deploys and
runs) is shown escaped, as ``status`` and ``instance show`` show it, so it cannot print a
forged instance row that a script cutting the columns would act on."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, sqlite_url
from tests.cli.documents import LEAVE_REQUEST

FORGED = "request_leave\npi-999\tevil\tclosed.completed"


def _forged_process(tmp_path: Path) -> str:
    """LEAVE_REQUEST with its process Id holding a line break and tabs."""
    text = LEAVE_REQUEST.read_text(encoding="utf-8")
    plain = 'Id="request_leave"'
    assert plain in text
    path = tmp_path / "forged.xpdl"
    written = FORGED.replace("\n", "&#10;").replace("\t", "&#9;")
    path.write_text(text.replace(plain, f'Id="{written}"', 1), encoding="utf-8")
    return str(path)


def test_instances_text_is_one_line_per_instance(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    started = cli("instance", "start", _forged_process(tmp_path), "--db", url, "--count", "2")
    assert started.exit_code == 0, started.output
    assert started.stdout.splitlines() == ["pi-1", "pi-2"]
    listed = json.loads(cli("instances", "--db", url, "--json").stdout)
    assert [row["process_id"] for row in listed] == [FORGED, FORGED]  # JSON keeps it exactly
    text = cli("instances", "--db", url)
    assert text.exit_code == 0, text.output
    escaped = "request_leave\\npi-999\\tevil\\tclosed.completed"
    assert text.stdout.splitlines() == [
        f"pi-1\t{escaped}\topen.running",
        f"pi-2\t{escaped}\topen.running",
    ]
