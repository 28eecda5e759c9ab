"""A customer is sent each message once, although the engine may make one call again (the
README: the same idempotency key across retries, a job run again after its worker died, a
command run again after losing a race): ``notify_customer`` and ``tell_status`` keep the
call's key with the message (``crm_notifications.idempotency_key``, unique), and a status
notice is counted as told in the same transaction that records it. Before, a question was
sent twice when the coordinator's command lost a race, an acceptance number twice when the
answer of the call was lost, and a worker dying between "told" and the notice lost the
notice for good."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from tests.examples.example_modules import example_module
from wfengine import Engine, ProcessState, VirtualClock
from wfengine.worklist.org_files import load_organisation

EXAMPLE = REPO_ROOT / "examples" / "crm_complaint"
PHONE = "+86 138 0000 0101"
COMPLAINT = {"phone": PHONE, "channel": "hotline", "category": "billing", "severity": 2,
             "text": "Charged twice"}  # fmt: skip


def _module(name: str) -> ModuleType:
    return example_module(name)


crm = _module("crm")
definition = _module("definition")


@pytest.fixture
def apps(tmp_path: Path) -> Any:
    return crm.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}", clock=VirtualClock())


def _engine(apps: Any, url: str | None = None) -> Engine:
    org = load_organisation(EXAMPLE / "organisation.yaml")
    engine = Engine(clock=apps._clock, directory=org, **({"db_url": url} if url else {}))
    apps.register(engine.applications)
    return engine


@pytest.fixture
def engine(apps: Any) -> Iterator[Engine]:
    with _engine(apps) as engine:
        engine.deploy(definition.build())
        yield engine


def _texts(apps: Any) -> list[str]:
    return [r["text"] for r in apps.sent(PHONE)]


def test_a_message_sent_again_under_its_key_is_sent_once(apps: Any) -> None:
    for _ in range(2):
        apps.notify_customer(PHONE, "hotline", "Which card?", idempotency_key="pi-1:ask/0/0@n")
    apps.notify_customer(PHONE, "hotline", "Which card?", idempotency_key="pi-1:ask/1/0@n")
    long_key = "pi-2:" + "a" * 300  # longer than the column: kept as its hash, still once
    for _ in range(2):
        apps.notify_customer(PHONE, "web", "Refunded", "wei@example.com", long_key)
    for _ in range(2):  # a direct call without a key: each is a message
        apps.notify_customer(PHONE, "hotline", "Hello")
    assert _texts(apps) == ["Which card?", "Which card?", "Refunded", "Hello", "Hello"]


def test_a_question_asked_again_after_the_command_lost_a_race_is_sent_once(
    apps: Any, tmp_path: Path
) -> None:
    """While the coordinator's command sends the question, another process puts the
    customer's late message on the case: the command loses the race and runs again."""
    url = f"sqlite:///{tmp_path / 'engine.db'}"
    with _engine(apps, url) as first, _engine(apps, url) as second:
        first.deploy(definition.build())
        case = crm.take_complaint(first, COMPLAINT, agent="amy")
        raced: list[str] = []

        class Racing(crm.RecordedChannel):  # type: ignore[name-defined,misc]
            def record(self, conn: Any, customer: Any, text: str, key: str | None) -> None:
                super().record(conn, customer, text, key)
                if text.endswith(": Which card?"):
                    raced.append(text)
                    if len(raced) == 1:
                        crm.customer_reply(second, case, "PS: it was on Monday")

        apps.channels["hotline"] = Racing(apps, "sms")
        [item] = first.work_items(case)
        first.claim_work_item(item.id, "cora")
        crm.submit_form(first, item.id, {"decision": "ask_customer", "question": "Which card?"},
                        user="cora")  # fmt: skip
        assert len(raced) == 2  # the command ran twice
        assert _texts(apps).count("Your complaint 0101-0001: Which card?") == 1


def test_an_acceptance_number_whose_answer_was_lost_is_sent_once(apps: Any, engine: Engine) -> None:
    """The gateway took the message, then the call failed (its answer lost, as when the
    worker dies): the retry is the same call, with the same key, and sends nothing more."""
    keys: list[str] = []

    def notify(notify_phone: str, notify_channel: str, notify_text: str,
               notify_email: str | None, idempotency_key: str) -> None:  # fmt: skip
        keys.append(idempotency_key)
        apps.notify_customer(notify_phone, notify_channel, notify_text, notify_email,
                             idempotency_key)  # fmt: skip
        if len(keys) == 1:
            raise RuntimeError("the gateway's answer was lost")

    engine.applications.register("notify_customer", notify)
    case = crm.take_complaint(engine, COMPLAINT, agent="amy")
    [incident] = engine.incidents(case)
    engine.retry_incident(incident.id)
    assert engine.incidents(case) == [] and len(keys) == 2 and keys[0] == keys[1]
    number = engine.instance(case).data["acceptance_no"]
    assert _texts(apps) == [f"Your complaint is number {number}"]
    assert engine.instance(case).state is ProcessState.RUNNING


def test_a_status_notice_is_counted_as_told_only_with_the_notice(apps: Any) -> None:
    """While the notice is being sent nobody else sees the milestone told: the two commit
    together, so a worker dying between them leaves neither, and the job run again tells."""
    seen: list[list[Any]] = []

    class Fax:
        name = "fax"

        def send(self, customer: Any, text: str) -> None:
            seen.append(apps.told_milestones(PHONE))  # read on a connection of its own
            if len(seen) == 1:
                raise SystemExit("the worker dies")

    apps.channels["hotline"] = Fax()
    with pytest.raises(SystemExit):
        apps.tell_status(PHONE, "hotline", None, "0101-0001", "Reviewed by the coordinator")
    assert apps.told_milestones(PHONE) == []
    apps.tell_status(PHONE, "hotline", None, "0101-0001", "Reviewed by the coordinator")
    assert seen == [[], []]
    assert [m["milestone"] for m in apps.told_milestones(PHONE)] == [
        "Reviewed by the coordinator"]  # fmt: skip
    apps.channels["hotline"] = crm.RecordedChannel(apps, "sms")
    for key in ("k1", "k2"):  # reached again, by another call: told already
        apps.tell_status(PHONE, "hotline", None, "0101-0001", "Reviewed by the coordinator", key)
    assert _texts(apps) == []
