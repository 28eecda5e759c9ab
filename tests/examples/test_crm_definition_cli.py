"""``python examples/crm_complaint/definition.py [OUTPUT]`` (README: how ``complaint.xpdl`` is
written). Before, the first argument was the file to write whatever it was: ``--help`` wrote
the XPDL to a file named ``--help``. Now ``--help`` says how to run it (exit 0) and an unknown
option is refused (exit 2), nothing written; a file named is written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.examples.test_crm_complaint import EXAMPLE, definition
from wfengine import dump_xpdl


def test_help_says_how_to_run_it_and_writes_nothing(tmp_path: Path) -> None:
    script = EXAMPLE / "definition.py"
    done = subprocess.run(
        [sys.executable, str(script), "--help"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: definition.py") and "output" in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_option_is_refused_and_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        definition.main(["--out", "complaint.xpdl"])
    assert exited.value.code == 2 and "--out" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_file_named_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "complaint.xpdl"
    definition.main([str(target)])
    assert capsys.readouterr().out.strip() == str(target)
    assert target.read_bytes() == dump_xpdl(definition.build())
