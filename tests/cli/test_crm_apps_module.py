"""The CRM example ships an ``--apps`` module (``examples/crm_complaint/crm_apps.py``), as
README's ``wfengine run`` row says each example does. Before, it had none: ``wfengine run
examples/crm_complaint/complaint.xpdl`` could only stub the CRM's applications (no
acceptance number, nothing in the history)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.cli.databases import cli
from tests.conftest import REPO_ROOT

EXAMPLE = REPO_ROOT / "examples" / "crm_complaint"


def test_run_binds_the_crms_applications(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    crm_db = f"sqlite:///{tmp_path / 'crm.db'}"
    monkeypatch.setenv("WFENGINE_CRM_DB", crm_db)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"coordinate": [{"decision": "close", "reply": "Refunded"}]}))
    result = cli(
        "run", str(EXAMPLE / "complaint.xpdl"), "--apps", str(EXAMPLE / "crm_apps.py"),
        "--set", "phone=+86 138 0000 0101", "--set", "text=Charged twice",
        "--answers", str(answers), "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)
    assert run["state"] == "closed.completed" and run["stubbed"] == []
    assert run["data"]["acceptance_no"] == "0101-0001"
    db = sa.create_engine(crm_db)
    try:
        with db.connect() as conn:
            history = conn.exec_driver_sql(
                "SELECT phone, acceptance_no, answer, outcome FROM crm_complaint_history"
            ).all()
            sent = conn.exec_driver_sql("SELECT channel, text FROM crm_notifications").all()
    finally:
        db.dispose()
    assert [tuple(r) for r in history] == [("13800000101", "0101-0001", "Refunded", "answered")]
    assert ("sms", "Your complaint is number 0101-0001") in [tuple(r) for r in sent]


def test_validate_finds_every_application_bound() -> None:
    result = cli(
        "validate", str(EXAMPLE / "complaint.xpdl"), "--apps", str(EXAMPLE / "crm_apps.py")
    )
    assert result.exit_code == 0, result.output
    assert "not bound" not in result.output and "binds" not in result.output
