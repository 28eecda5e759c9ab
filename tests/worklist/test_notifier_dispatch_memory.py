"""The dispatcher's memory of who has a notification, and the recipients each notifier is
given: a notifier removed between attempts, a KeyboardInterrupt out of one, and a notifier
working through its users as a queue must not make another repeat or miss a notification."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.worklist import notifiers as n
from wfengine.worklist.org_model import OrgUser

ORG = {
    "users": [{"id": u, "email": f"{u}@example.com", "roles": ["clerk"]} for u in ("ann", "bob")],
    "roles": [{"id": "clerk"}],
}


def _engine() -> Engine:
    engine = Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG))
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    return engine


def _statuses(engine: Engine) -> list[str]:
    """The statuses of the work-item entries (the instance's own are skipped: no handler)."""
    return [e.status for e in engine.outbox.entries() if e.kind.startswith("work_item.")]


class _Notifier:
    """Records the keys and recipients it was given; fails its first ``fail`` calls with
    ``error``."""

    def __init__(self, name: str, fail: int = 0, error: BaseException | None = None) -> None:
        self.name, self.fail, self.error = name, fail, error or RuntimeError(f"{name} down")
        self.keys: list[str] = []
        self.given: list[list[str]] = []

    def __repr__(self) -> str:
        return self.name

    def notify(self, notification: n.Notification, users: list[OrgUser]) -> None:
        self.keys.append(notification.key)
        self.given.append([u.id for u in users])
        if self.fail:
            self.fail -= 1
            raise self.error


class _Pager(_Notifier):
    """Works through its recipients as a queue, emptying the list it is given."""

    def notify(self, notification: n.Notification, users: list[OrgUser]) -> None:
        super().notify(notification, users)
        while users:
            users.pop(0)


def test_each_notifier_gets_every_recipient_whatever_another_does_with_its_list() -> None:
    pager, after = _Pager("pager"), _Notifier("after")
    with _engine() as engine:
        n.subscribe(engine.outbox, engine.directory, [pager, after])
        engine.start_process("ticket")
        engine.deliver_outbox()
    assert pager.given == [["ann", "bob"]]
    assert after.given == [["ann", "bob"]]


def test_a_notifier_removed_between_attempts_leaves_the_others_as_they_were() -> None:
    old, sms, mail = _Notifier("old"), _Notifier("sms", fail=1), _Notifier("mail")
    with _engine() as engine:
        dispatcher = n.subscribe(engine.outbox, engine.directory, [old, sms, mail])
        engine.start_process("ticket")
        engine.deliver_outbox()
        assert (len(old.keys), len(sms.keys), len(mail.keys)) == (1, 1, 1)
        dispatcher.notifiers.remove(old)  # the host retires a notifier before the retry
        engine.clock.advance(timedelta(minutes=5))  # type: ignore[attr-defined]
        engine.deliver_outbox()
        assert _statuses(engine) == ["delivered"]
    assert len(sms.keys) == 2  # the one that failed has it now
    assert len(mail.keys) == 1  # the one that had it is not told again


def test_a_keyboard_interrupt_out_of_a_notifier_keeps_what_was_delivered() -> None:
    good = _Notifier("good")
    stopped = _Notifier("stopped", fail=1, error=KeyboardInterrupt())
    with _engine() as engine:
        n.subscribe(engine.outbox, engine.directory, [good, stopped])
        engine.start_process("ticket")
        with pytest.raises(KeyboardInterrupt):
            engine.deliver_outbox()
        engine.deliver_outbox()  # the entry was given back: delivered now
        assert _statuses(engine) == ["delivered"]
    assert len(good.keys) == 1  # not told a second time
    assert len(stopped.keys) == 2
