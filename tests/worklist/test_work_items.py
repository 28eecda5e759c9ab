"""The work-item life cycle and who may move it, on every store: claim, start, release,
delegate, reassign, complete; refusals change nothing but the audit trail."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from wfengine import (
    ActivityState,
    Engine,
    IllegalStateError,
    PackageBuilder,
    ProcessState,
    VirtualClock,
    WorkItemState,
)
from wfengine.audit.exports import write_xes
from wfengine.errors import NotAuthorizedError
from wfengine.runtime.work_item_events import OperationRefused


def _start(engine: Engine) -> str:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.activity("quote", performer="clerk", writes=["price"]).activity(
        "book", performer="accountant"
    )
    p.transition("quote", "book")
    engine.deploy(pb.build())
    iid = engine.start_process("p")
    (item,) = engine.work_items(iid)
    assert item.assignees == ("alice", "bob") and item.holder is None
    return item.id


def _item(engine: Engine, item_id: str):  # type: ignore[no-untyped-def]
    return engine.work_item(item_id)


def _refused(engine: Engine, item_id: str) -> list[OperationRefused]:
    iid = _item(engine, item_id).instance_id
    return [e.payload for e in engine.audit(iid) if isinstance(e.payload, OperationRefused)]


def test_claim_start_complete_by_the_holder(org_engine: Engine) -> None:
    e = org_engine
    wi = _start(e)
    e.claim_work_item(wi, "alice")
    item = _item(e, wi)
    assert item.state is WorkItemState.ALLOCATED and item.holder == "alice"
    e.start_work_item(wi, "alice")
    item = _item(e, wi)
    assert item.state is WorkItemState.STARTED and item.started_at is not None
    e.complete_work_item(wi, {"price": 10}, user="alice")
    item = _item(e, wi)
    assert item.state is WorkItemState.COMPLETED and item.holder == "alice"
    (nxt,) = e.work_items(item.instance_id)
    assert nxt.activity_id == "book" and nxt.assignees == ("dan",)
    kinds = [ev.kind for ev in e.audit(item.instance_id) if ev.kind.startswith("work_item")]
    assert kinds[:4] == [
        "work_item.offered",
        "work_item.allocated",
        "work_item.started",
        "work_item.completed",
    ]


def test_a_started_work_item_starts_its_activity_at_that_moment(org_engine: Engine) -> None:
    """The activity is running while the person works on it, and its audit trail (hence the
    XES log and the processing time) says it started when the work item did."""
    e = org_engine
    wi = _start(e)
    iid = _item(e, wi).instance_id
    clock = e.clock
    assert isinstance(clock, VirtualClock)
    e.claim_work_item(wi, "alice")
    clock.advance(timedelta(minutes=10))
    e.start_work_item(wi, "alice")
    (quote,) = [a for a in e.activity_instances(iid) if a.activity_id == "quote"]
    assert quote.state is ActivityState.RUNNING
    started_at = clock.now()
    clock.advance(timedelta(minutes=30))
    e.complete_work_item(wi, user="alice")
    events = [(ev.kind, ev.at) for ev in e.audit(iid) if ev.activity_id == "quote"]
    assert ("activity.started", started_at) in events
    assert events.index(("work_item.started", started_at)) + 1 == events.index(
        ("activity.started", started_at)
    )
    out = io.BytesIO()
    write_xes(e, out)
    xes = out.getvalue().decode()
    start = xes.index('value="start"')
    assert started_at.isoformat(timespec="microseconds") in xes[start : start + 200]


def test_only_those_offered_may_claim_and_only_the_holder_may_act(org_engine: Engine) -> None:
    e = org_engine
    wi = _start(e)
    with pytest.raises(NotAuthorizedError, match=r"'dan' may not claim .*not offered to them"):
        e.claim_work_item(wi, "dan")
    assert _item(e, wi).state is WorkItemState.OFFERED  # nothing changed
    e.claim_work_item(wi, "alice")
    # (allocated *to* her: "allocated by" read as if she had allocated it to someone)
    with pytest.raises(IllegalStateError, match="allocated to 'alice'"):
        e.claim_work_item(wi, "bob")  # a second claim is refused by the state machine
    for act in (e.start_work_item, e.release_work_item):
        with pytest.raises(NotAuthorizedError, match="'alice' holds it"):
            act(wi, "bob")
    with pytest.raises(NotAuthorizedError):
        e.complete_work_item(wi, user="bob")
    with pytest.raises(NotAuthorizedError):
        e.delegate_work_item(wi, "bob", "dan")
    assert _item(e, wi).holder == "alice" and _item(e, wi).state is WorkItemState.ALLOCATED
    refused = _refused(e, wi)
    assert [(r.operation, r.user) for r in refused] == [
        ("claim", "dan"),
        ("start", "bob"),
        ("release", "bob"),
        ("complete", "bob"),
        ("delegate", "bob"),
    ]
    iid = _item(e, wi).instance_id
    found = [ev.work_item_id for ev in e.audit(iid) if ev.kind == "operation.refused"]
    assert found == [wi] * 5  # each names the work item, as every other work-item event does


def test_an_assignee_may_complete_an_unclaimed_item_at_once(org_engine: Engine) -> None:
    e = org_engine
    wi = _start(e)
    e.complete_work_item(wi, user="bob")
    assert _item(e, wi).holder == "bob"
    assert _item(e, wi).state is WorkItemState.COMPLETED


def test_release_offers_the_item_again(org_engine: Engine) -> None:
    e = org_engine
    wi = _start(e)
    e.claim_work_item(wi, "alice")
    e.start_work_item(wi, "alice")
    e.release_work_item(wi, "alice")
    item = _item(e, wi)
    assert item.state is WorkItemState.OFFERED and item.holder is None and item.started_at is None
    with pytest.raises(IllegalStateError):
        e.release_work_item(wi, "alice")  # nothing to release
    e.claim_work_item(wi, "bob")
    assert _item(e, wi).holder == "bob"


def test_a_released_item_is_told_as_offered_again_to_everyone_it_is_offered_to(
    org_engine: Engine,
) -> None:
    e = org_engine
    wi = _start(e)
    e.claim_work_item(wi, "alice")
    e.deliver_outbox()
    e.release_work_item(wi, "alice")
    offered = [x for x in e.outbox.entries() if x.kind == "work_item.offered"]
    assert len(offered) == 2 and offered[0].key != offered[1].key  # a new change, a new key
    again = offered[1]
    assert again.payload["work_item_id"] == wi
    assert list(again.payload["assignees"]) == ["alice", "bob"]
    assert "holder" not in again.payload


def test_delegation_keeps_the_owner_and_a_release_goes_back_to_them(org_engine: Engine) -> None:
    e = org_engine
    wi = _start(e)
    e.claim_work_item(wi, "alice")
    with pytest.raises(NotAuthorizedError, match="'nobody' is not a user"):
        e.delegate_work_item(wi, "alice", "nobody")
    with pytest.raises(NotAuthorizedError, match="'alice' holds it already"):
        e.delegate_work_item(wi, "alice", "alice")
    e.delegate_work_item(wi, "alice", "dan")  # anyone in the organisation
    item = _item(e, wi)
    assert (item.holder, item.owner, item.state) == ("dan", "alice", WorkItemState.ALLOCATED)
    with pytest.raises(NotAuthorizedError):
        e.complete_work_item(wi, user="alice")  # the owner no longer holds it
    e.release_work_item(wi, "dan")
    item = _item(e, wi)
    assert (item.holder, item.owner, item.state) == ("alice", None, WorkItemState.ALLOCATED)


def test_work_delegated_back_to_its_owner_is_theirs_as_before(org_engine: Engine) -> None:
    e = org_engine
    wi = _start(e)
    e.claim_work_item(wi, "alice")
    e.delegate_work_item(wi, "alice", "dan")
    e.delegate_work_item(wi, "dan", "alice")  # handed straight back
    item = _item(e, wi)
    assert (item.holder, item.owner, item.state) == ("alice", None, WorkItemState.ALLOCATED)
    e.release_work_item(wi, "alice")  # so her release offers it to everyone again
    item = _item(e, wi)
    assert (item.holder, item.state) == (None, WorkItemState.OFFERED)


def test_reassign_by_a_supervisor_or_an_administrator_only(org_engine: Engine) -> None:
    e = org_engine
    wi = _start(e)
    with pytest.raises(NotAuthorizedError, match="only a supervisor of its assignees"):
        e.reassign_work_item(wi, "dan", "dan")
    e.reassign_work_item(wi, "carol", "bob")  # carol supervises sales, where alice and bob are
    item = _item(e, wi)
    assert (item.holder, item.state) == ("bob", WorkItemState.ALLOCATED)
    with pytest.raises(NotAuthorizedError, match="only a supervisor of its holder"):
        e.reassign_work_item(wi, "alice", "alice")
    e.reassign_work_item(wi, "root", "dan")  # an administrator may give it to anyone
    assert _item(e, wi).holder == "dan"
    e.complete_work_item(wi, user="dan")
    assert _item(e, wi).state is WorkItemState.COMPLETED


def test_administrators_may_act_on_any_item(org_engine: Engine) -> None:
    e = org_engine
    wi = _start(e)
    e.claim_work_item(wi, "root")
    e.complete_work_item(wi, user="root")
    assert _item(e, wi).state is WorkItemState.COMPLETED


def test_an_administrator_starting_an_offered_item_takes_it_as_a_claim_would(
    org_engine: Engine,
) -> None:
    e = org_engine
    told: list[tuple[str, str]] = []
    e.outbox.subscribe(lambda r: told.append((r.kind, r.payload.get("holder"))))
    wi = _start(e)
    iid = _item(e, wi).instance_id
    e.start_work_item(wi, "root")
    assert (_item(e, wi).state, _item(e, wi).holder) == (WorkItemState.STARTED, "root")
    trail = [(x.kind, x.user) for x in e.audit(iid) if x.kind.startswith("work_item.")]
    assert trail == [
        ("work_item.offered", None),
        ("work_item.allocated", "root"),
        ("work_item.started", "root"),
    ]
    e.deliver_outbox()
    assert ("work_item.assigned", "root") in told
    assert [w.id for w in e.work_items_of("alice")] == []


def test_work_waits_while_its_instance_is_suspended(org_engine: Engine) -> None:
    e = org_engine
    wi = _start(e)
    iid = _item(e, wi).instance_id
    e.suspend(iid)
    with pytest.raises(
        IllegalStateError, match=r"in an instance that is open\.not_running\.suspended"
    ):
        e.claim_work_item(wi, "alice")
    e.resume(iid)
    e.claim_work_item(wi, "alice")
    assert _item(e, wi).holder == "alice"


def test_items_of_a_closed_activity_are_withdrawn(org_engine: Engine) -> None:
    e = org_engine
    wi = _start(e)
    e.claim_work_item(wi, "alice")
    iid = _item(e, wi).instance_id
    e.terminate(iid)
    assert _item(e, wi).state is WorkItemState.CANCELLED
    assert e.instance(iid).state is ProcessState.TERMINATED
    with pytest.raises(IllegalStateError):
        e.complete_work_item(wi, user="alice")


def test_the_holder_is_told_through_the_outbox(org_engine: Engine) -> None:
    e = org_engine
    told: list[tuple[str, str]] = []
    e.outbox.subscribe(lambda r: told.append((r.kind, r.payload.get("holder"))))
    wi = _start(e)
    e.claim_work_item(wi, "alice")
    e.delegate_work_item(wi, "alice", "bob")
    e.deliver_outbox()
    assigned = [h for k, h in told if k == "work_item.assigned"]
    assert assigned == ["alice", "bob"]
