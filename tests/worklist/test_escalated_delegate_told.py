"""Whoever an escalation takes a work item from hears of it, as its holder does. Under
``wfengine:delegation-confirm`` an escalated delegated item goes back to its owner, not to the
delegate: the owner (and the clerks) heard it was on offer again, the boss that it was
escalated to them, and the delegate, who had it in hand, heard nothing. The delegate now hears
it was taken from them (once, ``taken from you``, a notification of its own)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, subscribe
from wfengine.runtime.outbox import OutboxKind, OutboxRecord
from wfengine.worklist import notifiers as n
from wfengine.worklist.org_model import OrgUser

ORG: dict[str, Any] = {
    "users": [
        {"id": "ann", "roles": ["clerk"], "units": ["desk"]},
        {"id": "bob", "roles": ["clerk"], "units": ["desk"]},
        {"id": "cat", "units": ["desk"]},
        {"id": "boss", "units": ["mgmt"]},
    ],
    "units": [{"id": "mgmt", "supervisor": "boss"}, {"id": "desk", "supervisor": "boss"}],
}


class _Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[str, tuple[str, ...]]] = []

    def notify(self, notification: n.Notification, users: list[OrgUser]) -> None:
        self.seen.append((notification.event, notification.recipients))


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("desk")
        pb.participant("clerk", type="ROLE")
        late = {"wfengine:escalate-after": "PT1H"}
        confirmed = {**late, "wfengine:delegation-confirm": "true"}
        pb.process("confirmed").activity("answer", performer="clerk", extended=confirmed)
        pb.process("plain").activity("answer", performer="clerk", extended=late)
        e.deploy(pb.build())
        yield e
        check_history(e)


def _told_of_escalation(e: Engine, process: str) -> list[tuple[str, tuple[str, ...]]]:
    """ann claims the work and delegates it to cat (no clerk); an hour later it escalates.
    What the notifiers were told from the escalation on."""
    recorder = _Recorder()
    subscribe(e.outbox.handlers, e.directory, [recorder])  # type: ignore[arg-type]
    (item,) = e.work_items(e.start_process(process))
    e.claim_work_item(item.id, "ann")
    e.delegate_work_item(item.id, "ann", "cat")
    e.deliver_outbox()
    recorder.seen.clear()
    assert isinstance(e.clock, VirtualClock)
    e.clock.advance(timedelta(hours=1))
    e.deliver_outbox()
    return recorder.seen


def test_a_delegate_the_escalation_takes_the_item_from_hears_of_it(engine: Engine) -> None:
    assert _told_of_escalation(engine, "confirmed") == [
        ("escalated", ("boss",)),
        ("taken from you", ("cat",)),
        ("offered", ("ann", "bob")),  # the owner may claim it again; cat may not
    ]


def test_a_delegate_offered_it_again_hears_the_offer_only(engine: Engine) -> None:
    assert _told_of_escalation(engine, "plain") == [
        ("escalated", ("boss",)),
        ("offered", ("ann", "bob", "cat")),
    ]


def _record(payload: dict[str, object]) -> OutboxRecord:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    return OutboxRecord(1, "k", OutboxKind.WORK_ITEM_ESCALATED, "pi-1", payload, at)


def test_those_it_was_taken_from_and_not_offered_again_hear_it_was_taken() -> None:
    recorder = _Recorder()
    dispatcher = n.NotificationDispatcher(Organisation.from_data(ORG), [recorder])
    base = {"work_item_id": "wi-1", "activity_id": "answer", "escalated_to": ["boss"]}
    offered = {**base, "assignees": ("ann", "bob", "boss")}
    dispatcher(_record({**offered, "taken_from": ["cat", "ann"]}))  # ann is offered it again
    dispatcher(_record({**offered, "taken_from": ["boss"]}))  # once
    dispatcher(_record(offered))  # nobody held it (or an entry written before)
    assert recorder.seen == [
        ("escalated", ("boss",)),
        ("taken from you", ("cat",)),
        ("escalated", ("boss",)),
        ("escalated", ("boss",)),
    ]
