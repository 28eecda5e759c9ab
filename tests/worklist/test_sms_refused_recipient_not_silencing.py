"""A number the SMS gateway refuses does not silence the other recipients of the same entry.

Before, the SMS notifier stopped at the first recipient the gateway failed for: those after
them were not texted. When the refusal was for good (a number out of service) the outbox gave
the entry up at once, so they never were. Now every other recipient is texted, and the entry
is given up on naming the refused number, which no retry texts again.

A gateway failing otherwise (down, timing out) stops the attempt at once: trying every
recipient held the outbox worker one gateway timeout per recipient on every retry, and named
them all in the error. The retry texts only those not texted yet."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.errors import ApplicationError, PermanentApplicationError
from wfengine.runtime.outbox import OutboxRecord
from wfengine.worklist import notifiers as n
from wfengine.worklist.org_model import OrgUser

ORG = {
    "users": [
        {"id": "alice", "phone": "+15550101", "roles": ["clerk"]},
        {"id": "bob", "phone": "+15550102", "roles": ["clerk"]},
        {"id": "carol", "phone": "+15550103", "roles": ["clerk"]},
    ]
}


class _Refusing(n.FileSmsGateway):
    """Refuses bob's number for good (unless ``for_now``: then fails once for bob, a gateway
    busy); with ``busy_for_carol``, fails once for carol too."""

    def __init__(self, path: Path, *, for_now: bool = False, busy_for_carol: bool = False):
        super().__init__(path)
        self.busy = {"+15550102"} if for_now else set()
        self.refused = set() if for_now else {"+15550102"}
        if busy_for_carol:
            self.busy.add("+15550103")
        self.tried: list[str] = []

    def send_sms(self, phone: str, text: str, key: str) -> None:
        self.tried.append(phone)
        if phone in self.refused:
            raise PermanentApplicationError("number not in service")
        if phone in self.busy:
            self.busy.discard(phone)
            raise ApplicationError("gateway busy")
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


def test_a_gateway_failing_for_now_stops_the_attempt_and_the_retry_texts_the_rest(
    tmp_path: Path,
) -> None:
    gateway = _Refusing(tmp_path / "sms.jsonl", for_now=True)
    texted, entry = _offer(gateway, 2)
    assert texted == ["alice", "carol", "bob"]  # alice at once; carol, then bob, by the retry
    assert gateway.tried == ["+15550101", "+15550102", "+15550103", "+15550102"]
    assert entry.status.value == "delivered" and entry.attempts == 2


def test_a_refused_number_is_not_texted_again_by_the_retry_of_another_failure(
    tmp_path: Path,
) -> None:
    gateway = _Refusing(tmp_path / "sms.jsonl", busy_for_carol=True)
    texted, entry = _offer(gateway, 2)
    assert texted == ["alice", "carol"]
    assert gateway.tried.count("+15550102") == 1  # refused once, never tried again
    assert entry.status.value == "failed" and entry.attempts == 2  # given up once all tried
    assert "bob: PermanentApplicationError: number not in service" in (entry.last_error or "")


class _Down:
    """A gateway that is down: every send fails for now."""

    def __init__(self) -> None:
        self.calls = 0

    def send_sms(self, phone: str, text: str, key: str) -> None:
        self.calls += 1
        raise ConnectionError("gateway timed out")


def _users(count: int) -> list[OrgUser]:
    return [OrgUser(id=f"u{i}", phone=f"+1555{i:04d}") for i in range(count)]


def _notification(users: list[OrgUser]) -> n.Notification:
    return n.Notification("ob-1", "offered", "wi-1", "pi-1", "a", tuple(u.id for u in users))


def test_a_gateway_down_is_asked_once_per_attempt_not_once_per_recipient() -> None:
    gateway = _Down()
    users = _users(20)
    notifier = n.SmsNotifier(gateway)
    messages = []
    for attempt in (1, 2):
        with pytest.raises(ApplicationError) as raised:
            notifier.notify(_notification(users), users)
        assert gateway.calls == attempt
        assert not isinstance(raised.value, PermanentApplicationError)  # the outbox retries
        messages.append(str(raised.value))
    assert "u0: ConnectionError: gateway timed out" in messages[0]
    assert "the 19 other recipients not texted yet, then u0" in messages[0]
    assert "u1:" not in messages[0]
    assert "u1: ConnectionError" in messages[1]  # (u0 is tried after the others)


class _RefusingAll:
    def send_sms(self, phone: str, text: str, key: str) -> None:
        raise PermanentApplicationError(f"{phone} not in service")


def test_an_error_names_the_first_refused_numbers_and_counts_the_rest() -> None:
    users = _users(40)
    with pytest.raises(PermanentApplicationError) as raised:
        n.SmsNotifier(_RefusingAll()).notify(_notification(users), users)
    message = str(raised.value)
    assert "u0: PermanentApplicationError: +15550000 not in service" in message
    assert "u4:" in message and "u5:" not in message and "and 35 more" in message
