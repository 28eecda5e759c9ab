"""Whoever held a work item without being one of those it is offered to (a supervisor
reassigned it to them, or its holder delegated it to them), and the owner who delegated it,
hear when it is completed by someone else or withdrawn, as those it is offered to do; each
person once."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, subscribe
from wfengine.runtime.outbox import OutboxKind, OutboxRecord
from wfengine.worklist import notifiers as n
from wfengine.worklist.org_model import OrgUser


class _Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[str, tuple[str, ...]]] = []

    def notify(self, notification: n.Notification, users: list[OrgUser]) -> None:
        self.seen.append((notification.event, notification.recipients))


def _started(e: Engine) -> tuple[_Recorder, str, str]:
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    e.deploy(pb.build())
    recorder = _Recorder()
    subscribe(e.outbox.handlers, e.directory, [recorder])  # type: ignore[arg-type]
    iid = e.start_process("p")
    (item,) = e.work_items(iid)
    return recorder, iid, item.id


def test_the_one_it_was_reassigned_to_hears_that_someone_else_completed_it(
    org_engine: Engine,
) -> None:
    recorder, _, item_id = _started(org_engine)
    org_engine.reassign_work_item(item_id, "carol", "dan")  # dan is no clerk
    org_engine.complete_work_item(item_id, user="root")  # an administrator finishes it
    org_engine.deliver_outbox()
    assert recorder.seen[-1] == ("completed", ("alice", "bob", "dan"))


def test_a_delegate_and_the_owner_hear_of_a_completion_each_once(org_engine: Engine) -> None:
    recorder, _, item_id = _started(org_engine)
    org_engine.claim_work_item(item_id, "alice")
    org_engine.delegate_work_item(item_id, "alice", "dan")
    org_engine.complete_work_item(item_id, user="dan")
    org_engine.deliver_outbox()
    assert recorder.seen[-1] == ("completed", ("alice", "bob", "dan"))


def _record(kind: str, payload: dict[str, object]) -> OutboxRecord:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    return OutboxRecord(1, "k", kind, "pi-1", payload, at)


def test_a_withdrawal_tells_the_holder_and_the_owner_as_well() -> None:
    recorder = _Recorder()
    dispatcher = n.NotificationDispatcher(Organisation.from_data(ORG), [recorder])
    base = {"work_item_id": "wi-1", "activity_id": "quote", "assignees": ("alice", "bob")}
    dispatcher(_record(OutboxKind.WORK_ITEM_CANCELLED, {**base, "holder": "dan", "owner": "bob"}))
    dispatcher(_record(OutboxKind.WORK_ITEM_CANCELLED, base))  # nobody held it
    assert recorder.seen == [
        ("withdrawn", ("alice", "bob", "dan")),
        ("withdrawn", ("alice", "bob")),
    ]


def test_the_one_it_was_reassigned_to_hears_that_it_was_withdrawn(org_engine: Engine) -> None:
    """Terminating the instance withdraws the item dan was working on: dan hears of it."""
    recorder, iid, item_id = _started(org_engine)
    org_engine.reassign_work_item(item_id, "carol", "dan")
    org_engine.start_work_item(item_id, "dan")
    org_engine.terminate(iid)
    org_engine.deliver_outbox()
    assert recorder.seen[-1] == ("withdrawn", ("alice", "bob", "dan"))
