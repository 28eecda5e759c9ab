"""A number the SMS gateway fails for on every attempt (its carrier unreachable, an ordinary
failure, not a refusal for good) does not keep the other recipients from their text.

Before, the notifier stopped each attempt at that number, tried first again on every retry:
those listed after it were never texted, even once the outbox gave the entry up. Now the
retry texts first those the gateway has not failed for, then those it has (the least recently
failed first): the failing number delays the others by one attempt at most, and is still
retried. A gateway down still costs one call per attempt."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.errors import ApplicationError, PermanentApplicationError
from wfengine.runtime.outbox import OutboxPolicy
from wfengine.worklist import notifiers as n
from wfengine.worklist.org_model import OrgUser


class _Unreachable(n.FileSmsGateway):
    """Fails for now for the numbers in ``failing`` (every time), refuses for good those in
    ``refused``; texts the rest. Records every number it is asked to text."""

    def __init__(self, path: Path, failing: set[str], refused: frozenset[str] = frozenset()):
        super().__init__(path)
        self.failing, self.refused = failing, refused
        self.tried: list[str] = []

    def send_sms(self, phone: str, text: str, key: str) -> None:
        self.tried.append(phone)
        if phone in self.refused:
            raise PermanentApplicationError(f"{phone} not in service")
        if phone in self.failing:
            raise ApplicationError(f"carrier for {phone} unreachable, try later")
        super().send_sms(phone, text, key)

    def texted(self) -> list[str]:
        if not self.path.exists():
            return []
        return [json.loads(x)["phone"] for x in self.path.read_text().splitlines()]


BAD = OrgUser(id="bad", phone="+100")
ANN = OrgUser(id="ann", phone="+200")
BOB = OrgUser(id="bob", phone="+300")


def _note(users: list[OrgUser]) -> n.Notification:
    return n.Notification("ob-1", "offered", "wi-1", "pi-1", "a", tuple(u.id for u in users))


def _attempt(notifier: n.SmsNotifier, users: list[OrgUser]) -> ApplicationError | None:
    """One outbox attempt: the error it raised, if any."""
    try:
        notifier.notify(_note(users), users)
    except ApplicationError as exc:
        return exc
    return None


def test_a_number_failing_every_time_delays_the_others_by_one_attempt_at_most(
    tmp_path: Path,
) -> None:
    gateway = _Unreachable(tmp_path / "sms.jsonl", failing={"+100"})
    notifier, users = n.SmsNotifier(gateway), [BAD, ANN, BOB]
    first = _attempt(notifier, users)
    assert gateway.texted() == []  # (the attempt stops at the first failure)
    assert first is not None and not isinstance(first, PermanentApplicationError)
    assert "a retry texts the 2 other recipients not texted yet, then bad" in str(first)
    second = _attempt(notifier, users)
    assert gateway.texted() == ["+200", "+300"]
    assert isinstance(second, ApplicationError) and "not texted: bad:" in str(second)
    for _ in range(3):  # bad is retried on every attempt, alone
        assert _attempt(notifier, users) is not None
    assert gateway.tried == ["+100", "+200", "+300", "+100", "+100", "+100", "+100"]
    assert gateway.texted() == ["+200", "+300"]  # each texted once


def test_the_others_are_texted_before_the_outbox_gives_the_entry_up(tmp_path: Path) -> None:
    """The reviewer's scenario through the outbox: two attempts, the failing number first."""
    org = {"users": [{"id": u.id, "phone": u.phone, "roles": ["clerk"]} for u in (BAD, ANN, BOB)]}
    gateway = _Unreachable(tmp_path / "sms.jsonl", failing={"+100"})
    clock = VirtualClock()
    with Engine(clock=clock, directory=Organisation.from_data(org)) as engine:
        engine.outbox.handlers.policy = OutboxPolicy(max_attempts=2)
        pb = PackageBuilder("pkg")
        pb.process("p").activity("quote", performer="clerk")
        engine.deploy(pb.build())
        n.subscribe(engine.outbox.handlers, None, [n.SmsNotifier(gateway)])
        engine.start_process("p")
        for _ in range(3):
            engine.deliver_outbox()
            clock.advance(timedelta(hours=1))
        (entry,) = [e for e in engine.outbox.entries() if e.kind == "work_item.offered"]
    assert sorted(gateway.texted()) == ["+200", "+300"]
    assert gateway.tried.count("+100") == 2  # retried
    assert entry.status.value == "failed" and entry.attempts == 2
    assert "not texted: bad:" in (entry.last_error or "")


def test_numbers_failing_every_time_take_turns_least_recently_failed_first(
    tmp_path: Path,
) -> None:
    bad2 = OrgUser(id="bad2", phone="+101")
    gateway = _Unreachable(tmp_path / "sms.jsonl", failing={"+100", "+101"})
    notifier, users = n.SmsNotifier(gateway), [BAD, bad2, ANN]
    for _ in range(5):
        assert _attempt(notifier, users) is not None
    # one failure per attempt; ann texted once both were tried; then they take turns
    assert gateway.tried == ["+100", "+101", "+200", "+100", "+101", "+100"]
    assert gateway.texted() == ["+200"]


def test_a_gateway_down_still_costs_one_call_per_attempt(tmp_path: Path) -> None:
    users = [OrgUser(id=f"u{i}", phone=f"+1555{i:04d}") for i in range(20)]
    gateway = _Unreachable(tmp_path / "sms.jsonl", failing={u.phone or "" for u in users})
    notifier = n.SmsNotifier(gateway)
    for attempt in range(1, 31):  # more attempts than recipients: each failed once, then again
        assert _attempt(notifier, users) is not None
        assert len(gateway.tried) == attempt
    assert gateway.tried[:20] == [u.phone for u in users]  # each in turn
    assert gateway.tried[20:] == gateway.tried[:10]


def test_a_number_refused_for_good_stays_settled_among_failing_ones(tmp_path: Path) -> None:
    gone = OrgUser(id="gone", phone="+999")
    gateway = _Unreachable(tmp_path / "sms.jsonl", failing={"+100"}, refused=frozenset({"+999"}))
    notifier, users = n.SmsNotifier(gateway), [BAD, gone, ANN]
    errors = [_attempt(notifier, users) for _ in range(3)]
    assert gateway.tried == ["+100", "+999", "+200", "+100", "+100"]  # +999 refused once
    assert gateway.texted() == ["+200"]
    assert all(e is not None and not isinstance(e, PermanentApplicationError) for e in errors)
    assert "refused for good: gone: PermanentApplicationError: +999 not in service" in str(
        errors[-1]
    )
