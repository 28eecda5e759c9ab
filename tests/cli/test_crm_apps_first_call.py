"""The CRM example's ``--apps`` module (``crm_apps.py``) opens the CRM's database at the first
application call. Before, loading it made one (a new SQLite file in a temporary directory
when ``WFENGINE_CRM_DB`` names none): every ``wfengine validate --apps`` and every worker
process left a database behind."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.cli.databases import cli
from tests.conftest import REPO_ROOT

EXAMPLE = REPO_ROOT / "examples" / "crm_complaint"


def test_validate_apps_makes_no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WFENGINE_CRM_DB", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = cli(
        "validate", str(EXAMPLE / "complaint.xpdl"), "--apps", str(EXAMPLE / "crm_apps.py")
    )
    assert result.exit_code == 0, result.output
    assert "not bound" not in result.output and "crm_apps:" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_validate_apps_leaves_the_named_database_unmade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WFENGINE_CRM_DB", f"sqlite:///{tmp_path / 'crm.db'}")
    result = cli(
        "validate", str(EXAMPLE / "complaint.xpdl"), "--apps", str(EXAMPLE / "crm_apps.py")
    )
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "crm.db").exists()
