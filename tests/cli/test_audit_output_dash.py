"""``wfengine audit -o -`` writes to standard output, as ``convert -o -`` and ``render -o -``
do, in every format: not to a file called ``-`` in the current directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import automatic, cli, sqlite_url, write


@pytest.mark.parametrize("fmt", ["table", "csv", "jsonl", "xes"])
def test_dash_is_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    url = sqlite_url(tmp_path)
    assert cli("instance", "start", write(tmp_path, automatic()), "--db", url).exit_code == 0
    monkeypatch.chdir(tmp_path)
    plain = cli("audit", "--db", url, "--format", fmt)
    dashed = cli("audit", "--db", url, "--format", fmt, "-o", "-")
    assert dashed.exit_code == 0, dashed.output
    assert dashed.stdout_bytes == plain.stdout_bytes != b""
    assert not (tmp_path / "-").exists()
