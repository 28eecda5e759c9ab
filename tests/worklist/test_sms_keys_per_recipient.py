"""Each SMS has its own key (``<entry key>/<user id>``), and the outbox's retry after the
gateway failed for one recipient texts only those not texted yet. Before, every recipient's
text carried the entry's key (a gateway dropping repeats by key texted the first alone) and
a retry texted everyone again."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.worklist import notifiers as n

ORG = {
    "users": [
        {"id": "alice", "phone": "+15550101", "roles": ["clerk"]},
        {"id": "bob", "phone": "+15550102", "roles": ["clerk"]},
        {"id": "carol", "phone": "+15550103", "roles": ["clerk"]},
    ]
}


class _FailingOnce(n.FileSmsGateway):
    """Refuses bob's number once (a network blip)."""

    failed = False

    def send_sms(self, phone: str, text: str, key: str) -> None:
        if phone == "+15550102" and not self.failed:
            self.failed = True
            raise ConnectionError("gateway timeout")
        super().send_sms(phone, text, key)


def test_a_retry_texts_only_those_not_texted_each_under_its_own_key(tmp_path: Path) -> None:
    spool = tmp_path / "sms.jsonl"
    gateway = _FailingOnce(spool)
    with Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG)) as engine:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("quote", performer="clerk")
        engine.deploy(pb.build())
        n.subscribe(engine.outbox.handlers, None, [n.SmsNotifier(gateway)])
        engine.start_process("p")
        clock = engine.clock
        assert isinstance(clock, VirtualClock)
        for _ in range(3):
            engine.deliver_outbox()
            clock.advance(timedelta(minutes=5))
        (entry,) = [e for e in engine.outbox.entries() if e.kind == "work_item.offered"]
    assert gateway.failed and entry.status.value == "delivered" and entry.attempts == 2
    lines = [json.loads(x) for x in spool.read_text().splitlines()]
    assert [(x["phone"], x["key"]) for x in lines] == [
        ("+15550101", f"{entry.key}/alice"),
        ("+15550103", f"{entry.key}/carol"),  # (the retry texts bob after the others)
        ("+15550102", f"{entry.key}/bob"),
    ]


def test_texting_many_recipients_remembers_each_once() -> None:
    """Who was texted is one set per notification, added to: it was rebuilt whole after every
    recipient, so telling 20,000 people took seconds. Told by the set kept, not by time."""
    from wfengine.worklist import notifiers

    class Gateway:
        def send_sms(self, phone: str, text: str, key: str) -> None:
            """Sent."""

    class User:
        def __init__(self, n: int) -> None:
            self.id, self.phone = f"u{n}", "+15550100"

    class Note:
        key, subject = "wi-1@db/offered", "offered"

    sms = notifiers.SmsNotifier(Gateway())  # type: ignore[arg-type]
    sms.notify(Note(), [User(n) for n in range(500)])  # type: ignore[arg-type]
    (settled,) = sms._settled.values()
    assert type(settled.texted) is set and len(settled.texted) == 500
