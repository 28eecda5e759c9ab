"""Work sent back, beyond the plain sequence (``test_send_back.py``): who the audit trail
says gave the new item to its earlier performer, loops, multi-instance and subflow
activities sent back to, and what people do with the item afterwards."""

from __future__ import annotations

import pytest

from tests.worklist.conftest import ORG
from wfengine import (
    Engine,
    IllegalStateError,
    Organisation,
    PackageBuilder,
    VirtualClock,
    WorkItemState,
)
from wfengine.definition.build_arguments import multi_instance, standard_loop
from wfengine.errors import NotFoundError
from wfengine.runtime.work_item_events import WorkItemAllocated


def _engine() -> Engine:
    return Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG))


def _drafted_and_checked(engine: Engine, **check: str) -> tuple[str, str]:
    """draft (bob) -> check (held by dan): the instance and the check's item."""
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.activity("draft", performer="clerk", writes=["text"])
    p.activity("check", performer="accountant", extended=check or None)
    p.transition("draft", "check")
    engine.deploy(pb.build())
    iid = engine.start_process("p")
    (draft,) = engine.work_items(iid)
    engine.complete_work_item(draft.id, {"text": "v1"}, user="bob")
    (item,) = engine.work_items(iid)
    engine.claim_work_item(item.id, "dan")
    return iid, item.id


def test_the_engine_giving_sent_back_work_is_not_recorded_as_its_performer_claiming_it(
    org_engine: Engine,
) -> None:
    e = org_engine
    iid, check = _drafted_and_checked(e)
    e.send_back_work_item(check, "dan", "draft", "the amount is missing")
    (again,) = e.work_items(iid)
    (given,) = [
        ev
        for ev in e.audit(iid)
        if ev.kind == "work_item.allocated" and ev.work_item_id == again.id
    ]
    assert given.payload == WorkItemAllocated(again.id, None, "bob")
    assert given.user is None  # nobody acted: bob did not claim it
    assert given.payload.holder == "bob"
    assert [ev.kind for ev in e.audit_events(user="bob")] == ["work_item.completed"]
    claimed = [ev for ev in e.audit_events(user="dan") if ev.kind == "work_item.allocated"]
    assert [ev.payload for ev in claimed] == [WorkItemAllocated(check, "dan")]  # a claim is


def test_an_assignment_rule_giving_work_is_recorded_as_the_engines_too() -> None:
    with _engine() as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.activity("write", performer="clerk")
        p.activity("check", performer="clerk", extended={"AssignToPerformerOfActivity": "write"})
        p.transition("write", "check")
        e.deploy(pb.build())
        iid = e.start_process("p")
        (write,) = e.work_items(iid)
        e.complete_work_item(write.id, user="bob")
        (check,) = e.work_items(iid)
        (given,) = [ev for ev in e.audit(iid) if ev.kind == "work_item.allocated"]
        assert (given.user, given.payload) == (None, WorkItemAllocated(check.id, None, "bob"))
        assert e.work_item(check.id).state is WorkItemState.ALLOCATED


def _loop_back(engine: Engine) -> str:
    """B (clerks, writes x) -> C (carol: again?) -> B ... -> D (accountants); B done by alice
    (x=1) and then bob (x=2); D held by dan."""
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("x", "INTEGER", initial="0")
    p.data_field("again", "BOOLEAN", initial="true")
    p.activity("begin")
    p.activity("B", performer="clerk", writes=["x"], join="Exclusive")
    p.activity("C", performer="manager", writes=["again"], split="Exclusive")
    p.activity("D", performer="accountant")
    p.transition("begin", "B").transition("B", "C")
    p.transition("C", "B", condition="again").transition("C", "D", otherwise=True)
    engine.deploy(pb.build())
    iid = engine.start_process("p")
    for who, x, again in (("alice", 1, True), ("bob", 2, False)):
        (b,) = engine.work_items(iid)
        engine.complete_work_item(b.id, {"x": x}, user=who)
        (c,) = engine.work_items(iid)
        engine.complete_work_item(c.id, {"again": again}, user="carol")
    (d,) = engine.work_items(iid)
    engine.claim_work_item(d.id, "dan")
    return iid


def test_work_sent_back_into_a_loop_goes_to_its_last_performer_with_the_data_as_it_is_now() -> None:
    with _engine() as e:
        iid = _loop_back(e)
        (d,) = e.work_items(iid)
        e.send_back_work_item(d.id, "dan", "B", "x is wrong")
        (b,) = e.work_items(iid)
        assert (b.activity_id, b.holder) == ("B", "bob")  # the last round's performer
        # the instance's data now, not the data of the round bob completed
        assert e.work_item_data(b.id).values == {"x": 2, "again": False}


def test_work_is_not_sent_back_to_a_loop_tested_first_that_would_not_run_again(
    org_engine: Engine,
) -> None:
    """A while-loop whose condition no longer holds would close at once with no work item:
    the work would move on with nobody having done it again. Refused, nothing changed."""
    e = org_engine
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("open", "BOOLEAN", initial="true")
    p.activity(
        "B", performer="clerk", writes=["open"], loop=standard_loop("open", test_time="Before")
    )
    p.activity("D", performer="accountant")
    p.transition("B", "D")
    e.deploy(pb.build())
    iid = e.start_process("p")
    (b,) = e.work_items(iid)
    e.complete_work_item(b.id, {"open": False}, user="bob")
    (d,) = e.work_items(iid)
    e.claim_work_item(d.id, "dan")
    with pytest.raises(IllegalStateError, match="'B': it is a loop whose condition does not hold"):
        e.send_back_work_item(d.id, "dan", "B", "redo it")
    assert [(w.id, w.holder) for w in e.work_items(iid)] == [(d.id, "dan")]
    assert not [ev for ev in e.audit(iid) if ev.kind == "work_item.sent_back"]
    e.set_data(iid, {"open": True})  # once it holds again, the work goes back
    e.send_back_work_item(d.id, "dan", "B", "redo it")
    (again,) = e.work_items(iid)
    assert (again.activity_id, again.holder) == ("B", "bob")


def test_work_sent_back_to_a_subflow_runs_the_subprocess_again(org_engine: Engine) -> None:
    """Nobody performed the subflow activity itself: its new sub-process's work is offered as
    usual, and nothing is left waiting for an offer that never comes."""
    e = org_engine
    pb = PackageBuilder("pkg")
    pb.process("sub").activity("inner", performer="clerk")
    p = pb.process("p")
    p.subflow("s", process="sub").activity("d", performer="accountant").transition("s", "d")
    e.deploy(pb.build())
    iid = e.start_process("p")
    (first,) = [s.id for s in e.instance_summaries() if s.id != iid]
    (inner,) = e.work_items(first)
    e.complete_work_item(inner.id, user="bob")
    (d,) = e.work_items(iid)
    e.claim_work_item(d.id, "dan")
    e.send_back_work_item(d.id, "dan", "s", "wrong figures")
    (second,) = [s.id for s in e.instance_summaries() if s.id not in (iid, first)]
    (inner,) = e.work_items(second)
    assert (inner.state, inner.assignees) == (WorkItemState.OFFERED, ("alice", "bob"))
    assert e.store.instance(iid).sent_back == {}
    e.claim_work_item(inner.id, "bob")
    with pytest.raises(NotFoundError, match="earlier activity 'd'"):  # not across instances
        e.send_back_work_item(inner.id, "bob", "d", "no")


def test_each_instance_of_a_multi_instance_activity_sent_back_is_offered_and_told_why(
    org_engine: Engine,
) -> None:
    """Who completed which instance is not kept: none is given to the activity's last
    performer (who did another one); every instance is offered as usual, told why."""
    e = org_engine
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.activity("m", performer="clerk", loop=multi_instance("3"))
    p.activity("d", performer="accountant")
    p.transition("m", "d")
    e.deploy(pb.build())
    iid = e.start_process("p")
    for w, who in zip(e.work_items(iid), ["bob", "bob", "alice"], strict=True):
        e.complete_work_item(w.id, user=who)
    (d,) = e.work_items(iid)
    e.claim_work_item(d.id, "dan")
    e.deliver_outbox()
    e.send_back_work_item(d.id, "dan", "m", "count again")
    items = e.work_items(iid)
    assert [(w.mi_index, w.state, w.holder) for w in items] == [
        (i, WorkItemState.OFFERED, None) for i in range(3)
    ]
    told = [x for x in e.outbox.entries(instance_id=iid) if x.kind == "work_item.sent_back"]
    assert sorted(x.payload["work_item_id"] for x in told) == sorted(w.id for w in items)
    assert {x.payload["reason"] for x in told} == {"count again"}
    for w in items:
        e.complete_work_item(w.id, user="alice")
    (d2,) = e.work_items(iid)  # and the next round is as usual
    e.complete_work_item(d2.id, user="dan")


def test_work_is_sent_back_to_a_counted_loop_whose_first_test_reads_zero(
    org_engine: Engine,
) -> None:
    """``i < 2`` counted by ``i``: the loop ran twice and left i at 1 (its last iteration's
    count); begun again it would run from 0, so the work goes back, as the loop's own first
    test reads the count, not what the field held (docs/semantics.md, "Loop counters")."""
    e = org_engine
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("i", "INTEGER", initial="5")
    p.activity("B", performer="clerk", loop=standard_loop("i < 2", test_time="Before", counter="i"))
    p.activity("D", performer="accountant")
    p.transition("B", "D")
    e.deploy(pb.build())
    iid = e.start_process("p")
    for _ in range(2):
        (b,) = e.work_items(iid)
        e.complete_work_item(b.id, user="bob")
    (d,) = e.work_items(iid)
    e.claim_work_item(d.id, "dan")
    e.set_data(iid, {"i": 7})  # whatever the field holds now
    e.send_back_work_item(d.id, "dan", "B", "redo it")
    (again,) = e.work_items(iid)
    assert again.activity_id == "B"
