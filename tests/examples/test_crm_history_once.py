"""A case is in the complaint history once, also a case without an acceptance number (answered
at once, or ended by an operator before it was numbered): a retried call and a redelivered
closing add nothing. Before, the history's one-record key was (phone, acceptance number), and
SQL holds NULLs distinct, so each retry of such a case recorded it again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import REPO_ROOT
from tests.examples.example_modules import example_module
from wfengine import Engine, ProcessState, VirtualClock
from wfengine.worklist.org_files import load_organisation

EXAMPLE = REPO_ROOT / "examples" / "crm_complaint"
PHONE = "+86 138 0000 0101"
T1 = datetime(2026, 12, 1, 9, tzinfo=UTC)


def _module(name: str) -> ModuleType:
    return example_module(name)


crm = _module("crm")
definition = _module("definition")


@pytest.fixture
def apps(tmp_path: Path) -> Any:
    return crm.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}", clock=VirtualClock())


@pytest.fixture
def engine(apps: Any) -> Iterator[Engine]:
    with Engine(clock=apps._clock, directory=load_organisation(
            EXAMPLE / "organisation.yaml")) as engine:  # fmt: skip
        apps.register(engine.applications)
        engine.deploy(definition.build())
        yield engine


def test_a_repeated_record_without_acceptance_number_is_one(apps: Any) -> None:
    for _ in range(2):
        apps.record_history(PHONE, "Charged twice", "A hold", "", "answered at once")
    assert len(apps.history(PHONE)) == 1


def test_an_instant_answer_retried_after_its_write_is_recorded_once(
    apps: Any, engine: Engine
) -> None:
    """The call wrote the record and then failed (the reply was lost): the incident's retry
    calls again with the same idempotency key, which names the case."""
    calls: list[str] = []

    def record(history_phone: str, history_text: str, history_answer: str,
               history_acceptance: str, history_outcome: str,
               idempotency_key: str) -> None:  # fmt: skip
        calls.append(idempotency_key)
        apps.record_history(history_phone, history_text, history_answer, history_acceptance,
                            history_outcome, idempotency_key)  # fmt: skip
        if len(calls) == 1:
            raise RuntimeError("the CRM's answer was lost")

    engine.applications.register("record_history", record)
    case = crm.take_complaint(engine, {"phone": PHONE, "channel": "hotline",
                                       "category": "billing", "severity": 2, "text": "Charged",
                                       "instant_answer": "A hold", "satisfied": True},
                              agent="amy")  # fmt: skip
    [incident] = engine.incidents(case)
    engine.retry_incident(incident.id)
    assert engine.instance(case).state is ProcessState.COMPLETED
    assert len(calls) == 2 and calls[0] == calls[1]
    assert [r["outcome"] for r in apps.history(PHONE)] == ["answered at once"]


def test_a_redelivered_closing_of_an_unnumbered_case_is_recorded_once(
    apps: Any, engine: Engine
) -> None:
    """A web case without an address stops at intake, before numbering; an operator ends it
    and the outbox delivers the closing twice (delivery is at least once)."""
    case = engine.start_process("complaint", {"phone": "13900000303", "channel": "web",
                                              "text": "no mail"})  # fmt: skip
    engine.terminate(case)
    closed = apps.record_closing(engine)

    entry = SimpleNamespace(
        instance_id=case,
        key=f"{case}@aaaa/closed",  # (the engine's: the instance's id, its nonce, the change)
        payload={"state": "closed.terminated", "process_id": "complaint"},
    )
    closed(entry)
    closed(entry)
    rows = apps.history("13900000303")
    assert [(r["acceptance_no"], r["outcome"]) for r in rows] == [(None, "terminated")]
    # two different unnumbered cases of one phone are two records
    other = engine.start_process("complaint", {"phone": "13900000303", "channel": "web",
                                               "text": "no mail"})  # fmt: skip
    engine.terminate(other)
    entry.instance_id, entry.key = other, f"{other}@bbbb/closed"
    closed(entry)
    assert len(apps.history("13900000303")) == 2


def test_a_version_4_history_is_keyed_on_its_cases_every_row_kept(tmp_path: Path) -> None:
    """Old records without a number stay, each a case of its own (which were retries cannot
    be told); a full-width phone a version 4 database keyed as typed is keyed in ASCII."""
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    db = sa.create_engine(url)
    with db.begin() as conn:
        for ddl in (
            "CREATE TABLE crm_schema_version (id INTEGER PRIMARY KEY, version INTEGER NOT NULL)",
            "INSERT INTO crm_schema_version VALUES (1, 4)",
            "CREATE TABLE crm_customers (phone VARCHAR(32) PRIMARY KEY, name VARCHAR(200) NOT "
            "NULL, value VARCHAR(20) NOT NULL DEFAULT 'standard', email VARCHAR(200))",
            "CREATE TABLE crm_acceptance_numbers (phone VARCHAR(32), number INTEGER, taken_at "
            "DATETIME NOT NULL, PRIMARY KEY (phone, number))",
            "CREATE TABLE crm_complaint_history (id INTEGER PRIMARY KEY AUTOINCREMENT, phone "
            "VARCHAR(32) NOT NULL, acceptance_no VARCHAR(40), complaint TEXT NOT NULL, answer "
            "TEXT NOT NULL, outcome VARCHAR(40) NOT NULL, at DATETIME NOT NULL, "
            "UNIQUE (phone, acceptance_no))",
            "CREATE TABLE crm_notifications (id INTEGER PRIMARY KEY AUTOINCREMENT, phone "
            "VARCHAR(32) NOT NULL, channel VARCHAR(20) NOT NULL, address VARCHAR(254) NOT NULL,"
            " text TEXT NOT NULL, at DATETIME NOT NULL)",
            "CREATE TABLE crm_status_notices (phone VARCHAR(32), acceptance_no VARCHAR(40), "
            "milestone VARCHAR(200), at DATETIME NOT NULL, PRIMARY KEY (phone, acceptance_no, "
            "milestone))",
        ):
            conn.exec_driver_sql(ddl)
        rows = [("13800000101", None, "Bill?", "Sent", "answered at once"),
                ("13800000101", None, "Bill?", "Sent", "answered at once"),
                ("13800000101", "0101-0001", "Charged", "Refunded", "answered"),
                ("１３８０００００１０１", "０１０１-0001",
                 "Slow", "Fixed", "answered")]  # fmt: skip
        for row in rows:
            conn.exec_driver_sql(
                "INSERT INTO crm_complaint_history (phone, acceptance_no, complaint, answer, "
                "outcome, at) VALUES (?, ?, ?, ?, ?, ?)", (*row, T1))  # fmt: skip
        for phone in ("13800000101", "１３８０００００１０１"):
            conn.exec_driver_sql("INSERT INTO crm_acceptance_numbers VALUES (?, 1, ?)", (phone, T1))
    db.dispose()
    apps = crm.CrmApps(url)
    history = apps.history(PHONE)
    assert [(r["acceptance_no"], r["complaint"]) for r in history] == [
        (None, "Bill?"),
        (None, "Bill?"),
        ("0101-0001", "Charged"),
        ("０１０１-0001", "Slow"),
    ]
    # one numbering under the ASCII key: the next number is above both
    assert apps.next_acceptance_number(PHONE)["acceptance_number"] == "0101-0002"
    apps.record_history(PHONE, "Charged", "Refunded", "0101-0001")
    apps.record_history(PHONE, "Bill?", "Sent", "", "answered at once")
    apps.record_history(PHONE, "Bill?", "Sent", "", "answered at once")
    assert len(apps.history(PHONE)) == 5
    with apps.db.connect() as conn:
        assert conn.exec_driver_sql("SELECT version FROM crm_schema_version").scalar() == 8
