"""Sending work back to an earlier activity: the instance goes back there, the earlier
performer gets it again, the abandoned activity is closed and audited."""

from __future__ import annotations

import pytest

from wfengine import (
    ActivityState,
    Engine,
    IllegalStateError,
    NotAuthorizedError,
    PackageBuilder,
    ProcessState,
    WorkItemState,
)
from wfengine.errors import NotFoundError
from wfengine.runtime.work_item_events import WorkItemSentBack


def _sequence(engine: Engine) -> str:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.activity("draft", performer="clerk", writes=["text"])
    p.activity("check", performer="accountant")
    p.activity("sign", performer="manager")
    p.transition("draft", "check").transition("check", "sign")
    engine.deploy(pb.build())
    iid = engine.start_process("p")
    (draft,) = engine.work_items(iid)
    engine.complete_work_item(draft.id, {"text": "v1"}, user="bob")
    return iid


def test_the_earlier_performer_gets_the_work_again(org_engine: Engine) -> None:
    e = org_engine
    iid = _sequence(e)
    (check,) = e.work_items(iid)
    e.claim_work_item(check.id, "dan")
    e.send_back_work_item(check.id, "dan", "draft", "the amount is missing")
    assert e.work_item(check.id).state is WorkItemState.CANCELLED
    (again,) = e.work_items(iid)
    assert again.activity_id == "draft"
    assert (again.state, again.holder) == (WorkItemState.ALLOCATED, "bob")
    states = [(a.activity_id, a.state) for a in e.activity_instances(iid)]
    assert states == [
        ("draft", ActivityState.COMPLETED),
        ("check", ActivityState.TERMINATED),
        ("draft", ActivityState.NOT_STARTED),
    ]
    sent = [ev.payload for ev in e.audit(iid) if isinstance(ev.payload, WorkItemSentBack)]
    assert sent == [WorkItemSentBack(check.id, "dan", "draft", "the amount is missing")]
    e.complete_work_item(again.id, {"text": "v2"}, user="bob")
    (check2,) = e.work_items(iid)
    e.complete_work_item(check2.id, user="dan")
    (sign,) = e.work_items(iid)
    e.complete_work_item(sign.id, user="carol")
    assert e.instance(iid).state is ProcessState.COMPLETED
    assert e.trace(iid) == ["draft", "draft", "check", "sign"]  # the trace: completed ones


def test_refusals(org_engine: Engine) -> None:
    e = org_engine
    iid = _sequence(e)
    (check,) = e.work_items(iid)
    with pytest.raises(IllegalStateError, match="it is offered"):
        e.send_back_work_item(check.id, "dan", "draft", "why")  # nobody holds it yet
    e.claim_work_item(check.id, "dan")
    with pytest.raises(NotAuthorizedError, match="'alice' may not send back"):
        e.send_back_work_item(check.id, "alice", "draft", "why")
    with pytest.raises(NotFoundError, match="earlier activity 'sign'"):
        e.send_back_work_item(check.id, "dan", "sign", "never ran")
    with pytest.raises(ValueError, match="needs a reason"):
        e.send_back_work_item(check.id, "dan", "draft", " ")
    assert e.work_item(check.id).holder == "dan"  # nothing changed


def test_not_from_one_of_several_parallel_branches(org_engine: Engine) -> None:
    e = org_engine
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.activity("intake", performer="clerk")
    p.route("split", gateway="Parallel").route("join", gateway="Parallel")
    p.transition("intake", "split")
    for a in ("left", "right"):
        p.activity(a, performer="clerk").transition("split", a).transition(a, "join")
    e.deploy(pb.build())
    iid = e.start_process("p")
    (intake,) = e.work_items(iid)
    e.complete_work_item(intake.id, user="alice")
    left = next(w for w in e.work_items(iid) if w.activity_id == "left")
    e.claim_work_item(left.id, "alice")
    with pytest.raises(IllegalStateError, match="several threads"):
        e.send_back_work_item(left.id, "alice", "intake", "wrong")


def test_into_a_parallel_block_only_from_before_it(org_engine: Engine) -> None:
    """intake -> split -> left | right -> join -> after: from ``after`` back to ``left``
    would leave the join waiting for ``right`` for ever; back to ``intake`` runs both
    branches again."""
    e = org_engine
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.activity("intake", performer="clerk")
    p.route("split", gateway="Parallel").route("join", gateway="Parallel")
    p.transition("intake", "split")
    for a in ("left", "right"):
        p.activity(a, performer="clerk").transition("split", a).transition(a, "join")
    p.activity("after", performer="clerk").transition("join", "after")
    e.deploy(pb.build())
    iid = e.start_process("p")
    for _ in range(2):  # intake, then both branches
        for item in e.work_items(iid):
            e.complete_work_item(item.id, user="alice")
    (after,) = e.work_items(iid)
    assert after.activity_id == "after"
    e.claim_work_item(after.id, "bob")
    with pytest.raises(IllegalStateError, match="never complete"):
        e.send_back_work_item(after.id, "bob", "left", "redo the left part")
    e.send_back_work_item(after.id, "bob", "intake", "start over")
    (intake,) = e.work_items(iid)
    assert (intake.activity_id, intake.holder) == ("intake", "alice")
    e.complete_work_item(intake.id, user="alice")
    assert sorted(w.activity_id for w in e.work_items(iid)) == ["left", "right"]
