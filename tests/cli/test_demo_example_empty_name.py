"""``wfengine demo crm --example ''`` is refused as every file option refuses an empty name:
a usage error naming ``--example`` (exit 2) before anything runs. Before, ``click.Path`` made
``''`` the current directory, so from inside the example's directory the whole day ran (exit
0, a database made) and elsewhere the refusal named ``.``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "crm_complaint"


def test_an_empty_example_name_is_refused_inside_the_example_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(EXAMPLE)
    db = tmp_path / "crm.db"
    result = cli("demo", "crm", "--complaints", "1", "--db", f"sqlite:///{db}", "--example", "")
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--example': the name is empty ('')" in result.stderr
    assert "The day's trail" not in result.stdout
    assert not db.exists()  # refused before the command did anything


def test_a_named_example_directory_still_runs(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    result = cli(
        "demo", "crm", "--complaints", "1", "--db", f"sqlite:///{db}", "--example", str(EXAMPLE)
    )
    assert result.exit_code == 0, result.output
    assert "The day's trail" in result.stdout
