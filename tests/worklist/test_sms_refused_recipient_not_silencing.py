"""A number the SMS gateway refuses does not silence the other recipients of the same entry.

Before, the SMS notifier stopped at the first recipient the gateway failed for: those after
them were not texted. When the refusal was for good (a number out of service) the outbox gave
the entry up at once, so they never were; when it was for now, they waited for the refused
number's retry. Now every other recipient is texted, and the entry fails naming the one not
texted: given up on when the gateway refused it for good."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.errors import ApplicationError, PermanentApplicationError
from wfengine.runtime.outbox import OutboxRecord
from wfengine.worklist import notifiers as n

ORG = {
    "users": [
        {"id": "alice", "phone": "+15550101", "roles": ["clerk"]},
        {"id": "bob", "phone": "+15550102", "roles": ["clerk"]},
        {"id": "carol", "phone": "+15550103", "roles": ["clerk"]},
    ]
}


class _Refusing(n.FileSmsGateway):
    """Refuses bob's number: for good, or (``for_now``) once."""

    def __init__(self, path: Path, *, for_now: bool = False) -> None:
        super().__init__(path)
        self.for_now = for_now
        self.refusals = 0

    def send_sms(self, phone: str, text: str, key: str) -> None:
        if phone == "+15550102" and not (self.for_now and self.refusals):
            self.refusals += 1
            error = ApplicationError if self.for_now else PermanentApplicationError
            raise error("number not in service" if not self.for_now else "gateway busy")
        super().send_sms(phone, text, key)


def _offer(gateway: n.FileSmsGateway, deliveries: int) -> tuple[list[str], OutboxRecord]:
    """Offer work to the three clerks and deliver its entry ``deliveries`` times, a retry's
    back-off apart; the recipients texted, in order, and the entry."""
    clock = VirtualClock()
    with Engine(clock=clock, directory=Organisation.from_data(ORG)) as engine:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("quote", performer="clerk")
        engine.deploy(pb.build())
        n.subscribe(engine.outbox.handlers, None, [n.SmsNotifier(gateway)])
        engine.start_process("p")
        for _ in range(deliveries):
            engine.deliver_outbox()
            clock.advance(timedelta(minutes=5))
        (entry,) = [e for e in engine.outbox.entries() if e.kind == "work_item.offered"]
    texted = [json.loads(x)["key"].rsplit("/", 1)[1] for x in gateway.path.read_text().splitlines()]
    return texted, entry


def test_a_number_refused_for_good_leaves_the_others_texted_and_the_entry_failed(
    tmp_path: Path,
) -> None:
    gateway = _Refusing(tmp_path / "sms.jsonl")
    texted, entry = _offer(gateway, 1)
    assert texted == ["alice", "carol"]
    assert entry.status.value == "failed" and entry.attempts == 1  # given up on at once
    assert "bob: PermanentApplicationError: number not in service" in (entry.last_error or "")
    assert "alice" not in (entry.last_error or "")


def test_a_number_refused_for_now_leaves_the_others_texted_and_the_retry_texts_it(
    tmp_path: Path,
) -> None:
    gateway = _Refusing(tmp_path / "sms.jsonl", for_now=True)
    texted, entry = _offer(gateway, 2)
    assert texted == ["alice", "carol", "bob"]  # the others at once; bob by the retry alone
    assert entry.status.value == "delivered" and entry.attempts == 2
