"""Cancelling an activity instance (WCP19): it closes as aborted, its work is withdrawn, its
branch ends, the rest of the instance carries on."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from wfengine import ActivityState, Engine, IllegalStateError, PackageBuilder, ProcessState
from wfengine.definition.model import MultiInstanceLoop


def _parallel() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.route("fork", gateway="Parallel").route("join", gateway="Inclusive")
    p.activity("left", performer="clerk").activity("right", performer="clerk")
    p.activity("after_left").activity("end")
    p.transition("fork", "left").transition("fork", "right")
    p.transition("left", "after_left").transition("after_left", "join")
    p.transition("right", "join").transition("join", "end")
    return pb


def _open(engine: Engine, iid: str, activity_id: str) -> str:
    return next(
        a.id
        for a in engine.activity_instances(iid)
        if a.activity_id == activity_id and a.state.is_open
    )


def test_an_operator_cancels_one_branch(engine: Engine) -> None:
    iid = run(engine, _parallel())
    left = _open(engine, iid, "left")
    [item] = [w for w in engine.work_items(iid) if w.activity_id == "left"]
    engine.cancel_activity(iid, left)
    states = {a.activity_id: a.state for a in engine.activity_instances(iid)}
    assert states["left"] is ActivityState.ABORTED
    assert engine.work_item(item.id).state.value == "cancelled"
    assert "after_left" not in states  # its branch ended there
    kinds = [(x.kind, x.activity_id) for x in engine.audit(iid)]
    assert ("activity.aborted", "left") in kinds
    [right] = engine.work_items(iid)
    engine.complete_work_item(right.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED  # the OR join fired on right
    assert engine.trace(iid)[-1] == "end" and "left" not in engine.trace(iid)


def test_cancelling_the_last_branch_completes_the_instance(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("only", performer="clerk")
    iid = run(engine, pb)
    engine.cancel_activity(iid, _open(engine, iid, "only"))
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.work_items(iid) == []


def test_an_instance_of_a_multi_instance_activity_cancels_them_all(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("each", performer="clerk", loop=MultiInstanceLoop(mi_condition="3"))
    iid = run(engine, pb)
    items = engine.work_items(iid)
    assert len(items) == 3
    engine.cancel_activity(iid, items[0].activity_instance_id)
    assert engine.work_items(iid) == []
    assert all(not a.state.is_open for a in engine.activity_instances(iid))
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_what_cannot_be_cancelled(engine: Engine) -> None:
    iid = run(engine, _parallel())
    left = _open(engine, iid, "left")
    engine.cancel_activity(iid, left)
    with pytest.raises(IllegalStateError, match=r"closed\.aborted"):
        engine.cancel_activity(iid, left)
    with pytest.raises(KeyError):
        engine.cancel_activity(iid, "nope")
    engine.suspend(iid)
    with pytest.raises(IllegalStateError, match="suspended"):
        engine.cancel_activity(iid, _open(engine, iid, "right"))
