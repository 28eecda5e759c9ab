"""Work sent back to an activity whose performer has since left the organisation: it is
offered to the activity's people, never allocated to the one who left (whom nobody could reach:
they may not act, the others may not claim it, and a supervisor may not take it from them)."""

from __future__ import annotations

import copy

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, WorkItemState
from wfengine.worklist import notifiers as n
from wfengine.worklist.org_model import OrgUser


class _Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[str, tuple[str, ...]]] = []

    def notify(self, notification: n.Notification, users: list[OrgUser]) -> None:
        self.seen.append((notification.event, notification.recipients))


def _without(user: str) -> Organisation:
    data = copy.deepcopy(ORG)
    data["users"] = [u for u in data["users"] if u["id"] != user]
    return Organisation.from_data(data)


def test_work_sent_back_to_an_earlier_performer_who_left_is_offered_to_the_others(
    org_engine: Engine,
) -> None:
    e = org_engine
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.activity("draft", performer="clerk")
    p.activity("check", performer="clerk")
    p.transition("draft", "check")
    e.deploy(pb.build())
    recorder = _Recorder()
    iid = e.start_process("p")
    (draft,) = e.work_items(iid)
    e.claim_work_item(draft.id, "alice")
    e.complete_work_item(draft.id, user="alice")
    e.directory = _without("alice")  # alice leaves; the open work is offered afresh
    e.reoffer_work()
    e.deliver_outbox()
    n.subscribe(e.outbox.handlers, e.directory, [recorder])  # type: ignore[arg-type]
    (check,) = e.work_items(iid)
    e.claim_work_item(check.id, "bob")
    e.send_back_work_item(check.id, "bob", "draft", "the amount is missing")
    (again,) = e.work_items(iid)
    assert (again.activity_id, again.state, again.holder) == (
        "draft",
        WorkItemState.OFFERED,
        None,
    )
    assert again.assignees == ("bob",)
    assert e.work_items_of("alice") == []
    assert [w.id for w in e.work_items_of("bob")] == [again.id]
    e.deliver_outbox()
    assert ("sent back", ("bob",)) in recorder.seen  # those it is offered to hear why
    e.claim_work_item(again.id, "bob")
    e.complete_work_item(again.id, user="bob")
    (check2,) = e.work_items(iid)
    assert check2.activity_id == "check"
