"""``send_message(..., keep=False)``: a message for a catch waiting now, or for nobody. When
no catch waits (it timed out a moment ago, or the thread has not reached it yet) the message
is not kept for a later wait: False, and the instance is as it was. Why: a host that checks
"is the catch waiting?" and then sends the message runs two commands, and a timer firing
between them left the message kept, to answer a later question the sender never saw."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from tests.runtime.test_message_events import _catch
from wfengine import Engine, IllegalStateError, NotFoundError, PackageBuilder, ProcessState

pytestmark = pytest.mark.parametrize("store_kind", ["memory", "sqlite"], indirect=True)


def _work_then_catch() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("work", performer="clerk")
    p.add_activity(_catch("reply", "customer_reply"))
    p.activity("close")
    p.transition("work", "reply").transition("reply", "close")
    return pb


def test_a_message_nobody_waits_for_is_not_kept(engine: Engine) -> None:
    iid = run(engine, _work_then_catch(), data={"answer": "none"})
    trail = len(engine.audit(iid))
    assert (
        engine.send_message("customer_reply", {"answer": "old"}, instance_id=iid, keep=False)
        is False
    )
    assert len(engine.audit(iid)) == trail  # nothing kept, nothing audited
    assert engine.instance(iid).data["answer"] == "none"
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    # the catch now waits: the earlier message does not answer it
    assert engine.trace(iid) == ["work"]
    assert engine.instance(iid).state is ProcessState.RUNNING
    assert engine.send_message("customer_reply", {"answer": "new"}, instance_id=iid, keep=False)
    inst = engine.instance(iid)
    assert inst.state is ProcessState.COMPLETED and inst.data["answer"] == "new"
    assert engine.trace(iid) == ["work", "reply", "close"]


def test_a_suspended_instance_keeps_nothing_sent_with_keep_false(engine: Engine) -> None:
    iid = run(engine, _work_then_catch())
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    engine.suspend(iid)
    assert not engine.send_message("customer_reply", {"answer": 1}, instance_id=iid, keep=False)
    engine.resume(iid)
    assert engine.trace(iid) == ["work"]  # still waiting: nothing was kept to take
    assert [x.kind for x in engine.audit(iid) if x.kind.startswith("message.")] == []


def test_keep_false_refuses_what_a_kept_message_refuses(engine: Engine) -> None:
    iid = run(engine, _work_then_catch())
    with pytest.raises(NotFoundError, match="'customer_repyl'"):
        engine.send_message("customer_repyl", instance_id=iid, keep=False)
    engine.terminate(iid)
    with pytest.raises(IllegalStateError):
        engine.send_message("customer_reply", instance_id=iid, keep=False)
