"""Work sent back where nobody would get it: to a multi-instance activity whose count now
gives no instance (refused, as a loop tested first that would not run is), and to an activity
that closed without offering the work (its record goes with it, not with the activity's next
round)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.worklist.conftest import ORG
from wfengine import Engine, IllegalStateError, Organisation, PackageBuilder, WorkItemState
from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.build_arguments import multi_instance


def _counted_then_checked(e: Engine) -> tuple[str, str]:
    """m (k instances, clerks) -> z (clerks; writes k), z held by bob: the instance and z's
    item."""
    pb = PackageBuilder("pkg")
    pb.data_field("k", "INTEGER", initial="2")
    p = pb.process("p")
    p.activity("m", performer="clerk", loop=multi_instance("k"))
    p.activity("z", performer="clerk", writes=["k"])
    p.transition("m", "z")
    e.deploy(pb.build())
    iid = e.start_process("p")
    for w in e.work_items(iid):
        e.complete_work_item(w.id, user="alice")
    (z,) = e.work_items(iid)
    e.claim_work_item(z.id, "bob")
    return iid, z.id


def test_no_send_back_to_a_multi_instance_activity_whose_count_now_gives_none(
    org_engine: Engine,
) -> None:
    e = org_engine
    iid, z = _counted_then_checked(e)
    e.set_data(iid, {"k": 0})
    acts = [(a.id, a.state) for a in e.activity_instances(iid)]
    told = len(e.outbox.entries(instance_id=iid))
    with pytest.raises(IllegalStateError, match=r"to 'm'.*count 'k' gives 0 instances now"):
        e.send_back_work_item(z, "bob", "m", "redo m")
    # nothing changed: bob keeps his work, nothing was told, no record is left
    (still,) = e.work_items(iid)
    assert (still.id, still.state, still.holder) == (z, WorkItemState.ALLOCATED, "bob")
    assert [(a.id, a.state) for a in e.activity_instances(iid)] == acts
    assert len(e.outbox.entries(instance_id=iid)) == told
    assert e.store.instance(iid).sent_back == {}
    assert not [ev for ev in e.audit(iid) if ev.kind == "work_item.sent_back"]
    e.set_data(iid, {"k": 1})  # a count that gives an instance: sent back as usual
    e.send_back_work_item(z, "bob", "m", "redo m")
    (again,) = e.work_items(iid)
    assert (again.activity_id, again.state) == ("m", WorkItemState.OFFERED)


def _fails(fail: bool) -> None:
    if fail:
        raise RuntimeError("the figures service is down")


@pytest.mark.parametrize("store", ["memory", "sqlite"])
@pytest.mark.parametrize("defer", [False, True])
def test_work_sent_back_to_an_activity_that_closed_without_offering_it_is_not_told_later(
    store: str, defer: bool, tmp_path: Path
) -> None:
    """figures' applications fail on the way back (its failure leads on to check): nobody got
    the work sent back; when the instance later reaches figures again the usual way, its work
    is offered as usual, not given to its earlier performer as sent back for the old reason."""
    applications = ApplicationRegistry()
    applications.register("calc", _fails)
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    directory = Organisation.from_data(ORG)
    with Engine(
        db_url=url, directory=directory, applications=applications, defer_automatic=defer
    ) as e:
        pb = PackageBuilder("pkg")
        pb.application("calc", params=[("fail", "IN", "BOOLEAN")])
        pb.data_field("fail", "BOOLEAN", initial="false")
        pb.data_field("again", "BOOLEAN", initial="false")
        p = pb.process("p")
        p.route("s")
        p.route("in", join="Exclusive")
        p.activity("figures", tool="calc", args=["fail"], performer="clerk", finish_mode="Manual")
        p.activity("failed")
        p.activity("check", performer="accountant", writes=["again"])
        p.route("end")
        p.transition("s", "in").transition("in", "figures").transition("figures", "check")
        p.transition("figures", "failed", default_exception=True).transition("failed", "check")
        p.transition("check", "in", condition="again").transition("check", "end", otherwise=True)
        e.deploy(pb.build())
        iid = e.start_process("p")
        e.run_due_jobs()
        (figures,) = e.work_items(iid)
        e.complete_work_item(figures.id, user="bob")
        e.run_due_jobs()
        (check,) = e.work_items(iid)
        e.claim_work_item(check.id, "dan")
        e.set_data(iid, {"fail": True})
        e.send_back_work_item(check.id, "dan", "figures", "the totals are wrong")
        e.run_due_jobs()  # (a worker runs the applications): they fail, on to check
        assert e.store.instance(iid).sent_back == {}
        (check,) = e.work_items(iid)
        assert check.activity_id == "check"
        e.set_data(iid, {"fail": False})
        e.deliver_outbox()
        e.complete_work_item(check.id, {"again": True}, user="dan")
        e.run_due_jobs()
        (again,) = e.work_items(iid)
        assert (again.activity_id, again.state, again.holder) == (
            "figures",
            WorkItemState.OFFERED,
            None,
        )
        told = [
            x.kind
            for x in e.outbox.entries(instance_id=iid)
            if x.payload.get("work_item_id") == again.id
        ]
        assert told == ["work_item.offered"]
