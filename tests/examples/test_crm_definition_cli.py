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


@pytest.mark.parametrize("where", ["missing/deeper", "a-file"])
def test_an_output_in_no_folder_is_refused_naming_it_and_nothing_written(
    tmp_path: Path, where: str
) -> None:
    """Before: a traceback ending in ``FileNotFoundError`` (exit 1)."""
    (tmp_path / "a-file").write_text("kept")
    target = tmp_path / where / "complaint.xpdl"
    done = subprocess.run(
        [sys.executable, str(EXAMPLE / "definition.py"), str(target)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"output: the folder {target.parent} " in done.stderr
    assert "nothing was written" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]
    assert (tmp_path / "a-file").read_text() == "kept"


def test_an_output_the_system_will_not_write_is_refused_with_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        definition.main([str(tmp_path)])  # a folder, not a file
    assert exited.value.code == 2
    assert f"output: {tmp_path} could not be written (" in capsys.readouterr().err
