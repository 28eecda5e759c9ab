"""The CRM example's ``--apps`` module (``crm_apps.py``) subscribes what the CRM hears from the
outbox, as ``wfengine worker --apps`` and ``wfengine run --apps`` call its
``subscribe(outbox)``. Before, it had none: a worker skipped every outbox entry, so no
department desk was told of new work (nor of reminders or escalations), and a case an
operator terminated was in no one's complaint history."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from tests.examples.example_modules import example_module
from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.cli.apps import load_apps
from wfengine.worklist.org_files import load_organisation

EXAMPLE = REPO_ROOT / "examples" / "crm_complaint"
PHONE = "+86 138 0000 0101"

crm = example_module("crm")
definition = example_module("definition")


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """An engine whose applications and outbox handlers are crm_apps.py's, as a worker's."""
    monkeypatch.setenv("WFENGINE_CRM_DB", f"sqlite:///{tmp_path / 'crm.db'}")
    monkeypatch.setenv("WFENGINE_CRM_SMS_FILE", str(tmp_path / "sms.jsonl"))
    monkeypatch.delenv("WFENGINE_CRM_SMTP", raising=False)
    organisation = load_organisation(EXAMPLE / "organisation.yaml")
    with Engine(clock=VirtualClock(), directory=organisation) as engine:
        load_apps(str(EXAMPLE / "crm_apps.py"), engine.applications, engine.outbox.handlers)
        engine.deploy(definition.build())
        yield engine


def _case(engine: Engine) -> str:
    values = {"phone": PHONE, "channel": "hotline", "category": "billing", "severity": 2,
              "text": "I was charged twice"}  # fmt: skip
    case: str = crm.take_complaint(engine, values, agent="amy")
    return case


def test_a_department_desk_is_told_of_new_work_by_sms(engine: Engine, tmp_path: Path) -> None:
    case = _case(engine)
    [item] = [w for w in engine.work_items(case) if w.activity_id == "coordinate"]
    engine.claim_work_item(item.id, "cora")
    crm.submit_form(engine, item.id, {"decision": "departments", "next_department": "billing"},
                    user="cora")  # fmt: skip
    engine.deliver_outbox()  # (as the worker does after each command)
    texts = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    # eva, the billing desk (the call centre's people, at their seats, get no SMS for new work)
    assert [(t["phone"], "offered" in t["text"]) for t in texts] == [("+86 135 5550 0201", True)]


def test_a_case_an_operator_terminates_is_in_the_history(engine: Engine, tmp_path: Path) -> None:
    case = _case(engine)
    engine.terminate(case)
    engine.deliver_outbox()
    history: Any = crm.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}").history(PHONE)
    assert [(r["acceptance_no"], r["outcome"]) for r in history] == [("0101-0001", "terminated")]


def test_a_complaint_no_operator_ended_opens_no_crm_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every state change of a complaint opened (or made) the CRM's database, to record only
    the closings an operator caused: a delivery-only worker made a database it never used."""
    monkeypatch.setenv("WFENGINE_CRM_DB", f"sqlite:///{tmp_path / 'crm.db'}")
    monkeypatch.delenv("WFENGINE_CRM_SMTP", raising=False)
    monkeypatch.delenv("WFENGINE_CRM_SMS_FILE", raising=False)
    pb = PackageBuilder("pkg")
    p = pb.process("complaint")  # the example's process id, with no application to call
    p.participant("clerk")
    p.activity("a", performer="clerk")
    with Engine(clock=VirtualClock()) as engine:
        load_apps(str(EXAMPLE / "crm_apps.py"), engine.applications, engine.outbox.handlers)
        engine.deploy(pb.build())
        case = engine.start_process("complaint")
        engine.suspend(case)
        engine.resume(case)
        [item] = engine.work_items(case)
        engine.complete_work_item(item.id)
        engine.deliver_outbox()
        assert engine.instance(case).state == "closed.completed"
    assert not (tmp_path / "crm.db").exists()
