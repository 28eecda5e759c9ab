"""What a failed notification says about who has it. Before, every failure said "N of M
notifiers failed (the others have it and are not called again)", also when the one notifier
there was failed ("1 of 1 ... the others have it") and when every one failed: nobody had been
told, and an operator reading the outbox's warning took it that somebody had."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, subscribe
from wfengine.worklist import notifiers as n
from wfengine.worklist.org_model import OrgUser


class _Notifier:
    """Delivers, but for the events in ``fail_on`` (every event: None)."""

    def __init__(self, name: str, fail_on: tuple[str, ...] | None = ()) -> None:
        self.name, self.fail_on = name, fail_on

    def __repr__(self) -> str:
        return self.name

    def notify(self, notification: n.Notification, users: list[OrgUser]) -> None:
        if self.fail_on is None or notification.event in self.fail_on:
            raise RuntimeError(f"{self.name} is down")


@pytest.fixture
def engine() -> Iterator[Engine]:
    with Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("quote", performer="clerk")
        e.deploy(pb.build())
        yield e


def _offer_error(engine: Engine, *notifiers: _Notifier) -> str:
    """The error the offer's notification failed with, delivered through ``notifiers``."""
    subscribe(engine.outbox.handlers, engine.directory, list(notifiers))  # type: ignore[arg-type]
    engine.start_process("p")
    engine.deliver_outbox()
    [entry] = [e for e in engine.outbox.entries() if e.kind == "work_item.offered"]
    assert entry.status.value == "pending" and entry.last_error is not None
    return entry.last_error


def test_the_only_notifier_failing_says_nothing_was_delivered(engine: Engine) -> None:
    error = _offer_error(engine, _Notifier("mail", fail_on=None))
    assert "the only notifier failed (nothing was delivered): " in error
    assert "others" not in error and "1 of 1" not in error


def test_every_notifier_failing_says_nothing_was_delivered(engine: Engine) -> None:
    error = _offer_error(engine, _Notifier("mail", fail_on=None), _Notifier("sms", fail_on=None))
    assert "all 2 notifiers failed (nothing was delivered): " in error
    assert "others" not in error


def test_some_failing_say_the_others_have_it(engine: Engine) -> None:
    error = _offer_error(engine, _Notifier("mail", fail_on=None), _Notifier("sms"))
    assert "1 of 2 notifiers failed (the others have it and are not called again): " in error


def test_a_notifier_failing_on_part_of_an_entry_says_the_rest_went_out(engine: Engine) -> None:
    """A reassignment's entry is two notifications (the new holder's, and "taken from you"):
    one failing on the second alone has delivered the first, which is not sent again."""
    notifier = _Notifier("mail", fail_on=(n.TAKEN_FROM,))
    subscribe(engine.outbox.handlers, engine.directory, [notifier])  # type: ignore[arg-type]
    (item,) = engine.work_items(engine.start_process("p"))
    engine.claim_work_item(item.id, "alice")
    engine.reassign_work_item(item.id, "carol", "bob")  # (carol supervises alice)
    engine.deliver_outbox()
    [entry] = [r for r in engine.outbox.entries() if r.payload.get("taken_from")]
    error = entry.last_error or ""
    assert "the only notifier failed (a part of it was delivered and is not sent again): " in error
    assert "('taken from you'): RuntimeError: mail is down" in error
