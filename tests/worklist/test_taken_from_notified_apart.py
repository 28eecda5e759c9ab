"""Whoever a reassignment or an escalation took a work item from was told in the same
notification as those it went to: a reassignment's "allocated" ("Work item ..., was
allocated.") named the new holder and the one who lost it alike, an escalation's "escalated"
the people it went to and a delegate it was taken from, so no notifier could tell them the
work was no longer theirs. They now get a notification of their own, ``taken from you``
(keyed ``<entry key>/taken-from``); what the new holder and those it was escalated to get is
unchanged but for naming them alone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.worklist.conftest import ORG
from tests.worklist.test_escalated_delegate_told import ORG as DESK
from tests.worklist.test_escalated_delegate_told import _told_of_escalation
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, subscribe
from wfengine.runtime.outbox import OutboxKind, OutboxRecord
from wfengine.worklist import notifiers as n
from wfengine.worklist.org_model import OrgUser


class _Recorder:
    def __init__(self, fail_on: str | None = None) -> None:
        self.seen: list[tuple[str, tuple[str, ...], list[str], str]] = []
        self._fail_on = fail_on  # an event it fails for once

    def notify(self, notification: n.Notification, users: list[OrgUser]) -> None:
        if notification.event == self._fail_on:
            self._fail_on = None
            raise RuntimeError("down for now")
        who = [u.id for u in users]
        self.seen.append((notification.event, notification.recipients, who, notification.key))


@pytest.fixture
def engine() -> Iterator[Engine]:
    with Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("quote", performer="clerk")
        e.deploy(pb.build())
        yield e


def _reassigned(e: Engine, *notifiers: _Recorder) -> str:
    """alice claims the work, carol (her supervisor) gives it to bob: the entry's key."""
    subscribe(e.outbox.handlers, e.directory, list(notifiers))  # type: ignore[arg-type]
    (item,) = e.work_items(e.start_process("p"))
    e.claim_work_item(item.id, "alice")
    e.deliver_outbox()
    for recorder in notifiers:
        recorder.seen.clear()
    e.reassign_work_item(item.id, "carol", "bob")
    e.deliver_outbox()
    (entry,) = [r for r in e.outbox.entries() if r.payload.get("taken_from")]
    return entry.key


def test_the_holder_a_reassignment_takes_work_from_is_told_it_was_taken(
    engine: Engine,
) -> None:
    recorder = _Recorder()
    key = _reassigned(engine, recorder)
    assert recorder.seen == [
        ("allocated", ("bob",), ["bob"], key),
        ("taken from you", ("alice",), ["alice"], f"{key}/taken-from"),
    ]


def test_what_they_are_told_says_so() -> None:
    taken = n.Notification("k/taken-from", n.TAKEN_FROM, "wi-1", "pi-1", "quote", ("alice",))
    assert taken.subject == "work item wi-1 (quote) taken from you"
    assert taken.text == "Work item wi-1, activity quote of instance pi-1, was taken from you."


def test_a_notifier_failing_on_one_of_them_is_called_again_for_that_one_alone(
    engine: Engine,
) -> None:
    steady, flaky = _Recorder(), _Recorder(fail_on=n.TAKEN_FROM)
    _reassigned(engine, steady, flaky)
    assert [s[0] for s in steady.seen] == ["allocated", "taken from you"]
    assert [s[0] for s in flaky.seen] == ["allocated"]
    assert isinstance(engine.clock, VirtualClock)
    engine.clock.advance(engine.outbox.policy.first_retry)  # (the retry is due)
    engine.deliver_outbox()
    assert [s[0] for s in steady.seen] == ["allocated", "taken from you"]
    assert [s[0] for s in flaky.seen] == ["allocated", "taken from you"]


def test_a_delegate_an_escalation_takes_the_item_from_is_told_it_was_taken() -> None:
    directory = Organisation.from_data(DESK)
    with Engine(clock=VirtualClock(), directory=directory) as e:
        pb = PackageBuilder("desk")
        pb.participant("clerk", type="ROLE")
        late = {"wfengine:escalate-after": "PT1H", "wfengine:delegation-confirm": "true"}
        pb.process("confirmed").activity("answer", performer="clerk", extended=late)
        e.deploy(pb.build())
        assert _told_of_escalation(e, "confirmed") == [
            ("escalated", ("boss",)),
            ("taken from you", ("cat",)),
            ("offered", ("ann", "bob")),  # the owner may claim it again; cat may not
        ]


def test_one_offered_it_again_or_escalated_to_is_not_told_it_was_taken() -> None:
    recorder = _Recorder()
    dispatcher = n.NotificationDispatcher(Organisation.from_data(DESK), [recorder])
    at = datetime(2026, 1, 1, tzinfo=UTC)
    payload = {
        "work_item_id": "wi-1",
        "activity_id": "answer",
        "escalated_to": ["boss"],
        "assignees": ("ann", "bob", "boss"),
        "taken_from": ["cat", "ann", "boss"],  # ann is offered it again, boss has it
    }
    dispatcher(OutboxRecord(1, "k", OutboxKind.WORK_ITEM_ESCALATED, "pi-1", payload, at))
    assert [(e, r) for e, r, _, _ in recorder.seen] == [
        ("escalated", ("boss",)),
        ("taken from you", ("cat",)),
    ]
