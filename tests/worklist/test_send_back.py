"""Sending work back to an earlier activity: the instance goes back there, the earlier
performer gets it again, the abandoned activity is closed and audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.worklist.conftest import ORG
from wfengine import (
    ActivityState,
    Engine,
    IllegalStateError,
    NotAuthorizedError,
    Organisation,
    PackageBuilder,
    ProcessState,
    WorkItemState,
)
from wfengine.applications.registry import ApplicationRegistry
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


@pytest.mark.parametrize("store", ["memory", "sqlite"])
@pytest.mark.parametrize("defer", [False, True])
def test_work_sent_back_to_applications_a_person_confirms_goes_to_its_earlier_performer(
    store: str, defer: bool, tmp_path: Path
) -> None:
    """The activity sent back to runs its applications first, then a person confirms
    (FinishMode Manual): its new item goes to whoever confirmed it last, told why, also when
    the applications are left to a worker (every engine of the command line)."""
    applications = ApplicationRegistry()
    applications.register("calc", lambda: None)
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    directory = Organisation.from_data(ORG)
    with Engine(
        db_url=url, directory=directory, applications=applications, defer_automatic=defer
    ) as e:
        pb = PackageBuilder("pkg")
        pb.application("calc")
        p = pb.process("p")
        p.activity("figures", tool="calc", performer="clerk", finish_mode="Manual")
        p.activity("check", performer="accountant")
        p.transition("figures", "check")
        e.deploy(pb.build())
        iid = e.start_process("p")
        e.run_due_jobs()
        (figures,) = e.work_items(iid)
        e.complete_work_item(figures.id, user="bob")
        e.run_due_jobs()
        (check,) = e.work_items(iid)
        e.claim_work_item(check.id, "dan")
        e.deliver_outbox()
        e.send_back_work_item(check.id, "dan", "figures", "the totals are wrong")
        e.run_due_jobs()  # a worker runs the applications; then bob is to confirm again
        (again,) = e.work_items(iid)
        assert (again.activity_id, again.state, again.holder) == (
            "figures",
            WorkItemState.ALLOCATED,
            "bob",
        )
        entries = e.outbox.entries(instance_id=iid)
        told = [x for x in entries if x.payload.get("work_item_id") == again.id]
        assert [(x.kind, x.payload["holder"], x.payload["reason"]) for x in told] == [
            ("work_item.sent_back", "bob", "the totals are wrong")
        ]
        assert e.instance(iid).state is ProcessState.RUNNING
        e.complete_work_item(again.id, user="bob")
        e.run_due_jobs()
        (check2,) = e.work_items(iid)  # and once is enough: the next round is as usual
        assert check2.activity_id == "check" and check2.holder is None
