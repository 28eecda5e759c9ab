"""Work cannot be sent back to a catch event that races others at an event-based gateway: only
the gateway arms the race. Begun again on its own, the reply's catch waited alone: the timer that
bounds the wait was never armed, and a reply that never came was waited for without end. The
refusal names the gateway; sent back there, the whole race is armed again. A person's task that
races there may still be sent back to (doing it again needs nothing armed)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.errors import IllegalStateError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine


def _chase() -> PackageBuilder:
    """ask -> event-based gateway gw -> reply (message) -> answered, or late (1h) -> chase;
    or the clerk's own call (a person's task) -> called."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.participant("clerk")
    p.activity("ask", performer="clerk").route("gw", gateway="EventBased")
    p.intermediate("reply", message="reply").activity("answered", performer="clerk")
    p.intermediate("late", timer="PT1H").activity("chase", performer="clerk")
    p.activity("call", performer="clerk").activity("called", performer="clerk")
    p.transition("ask", "gw").transition("gw", "reply").transition("gw", "late")
    p.transition("gw", "call").transition("reply", "answered").transition("late", "chase")
    p.transition("call", "called")
    return pb


def _held(engine: Engine, iid: str, activity_id: str) -> str:
    [item] = [w for w in engine.work_items(iid) if w.activity_id == activity_id]
    engine.claim_work_item(item.id, "clerk")
    return item.id


def test_send_back_to_a_raced_catch_is_refused_naming_the_gateway(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.deploy(_chase().build())
    iid = engine.start_process("main", {})
    engine.complete_work_item(_held(engine, iid, "ask"))
    engine.send_message("reply", {}, instance_id=iid)
    answered = _held(engine, iid, "answered")
    trace, audit = engine.trace(iid), len(engine.audit_events(instance_id=iid))

    with pytest.raises(IllegalStateError) as refused:
        engine.send_back_work_item(answered, "clerk", "reply", "ask the customer again")

    message = str(refused.value)
    assert "to 'reply'" in message and "event-based gateway 'gw'" in message
    assert message.endswith("send it back to 'gw'; nothing was changed")
    assert [w.id for w in engine.work_items(iid)] == [answered]
    assert engine.trace(iid) == trace
    assert len(engine.audit_events(instance_id=iid)) == audit

    # sent back to the gateway, the timer bounds the wait again: no reply, and it fires
    engine.send_back_work_item(answered, "clerk", "gw", "ask the customer again")
    assert sorted(w.activity_id for w in engine.work_items(iid)) == ["call"]
    clock.advance(timedelta(hours=2))
    assert [w.activity_id for w in engine.work_items(iid)] == ["chase"]


def test_a_persons_task_racing_at_the_gateway_can_still_be_sent_back_to(
    engine: Engine,
) -> None:
    engine.deploy(_chase().build())
    iid = engine.start_process("main", {})
    engine.complete_work_item(_held(engine, iid, "ask"))
    engine.complete_work_item(_held(engine, iid, "call"))
    called = _held(engine, iid, "called")

    engine.send_back_work_item(called, "clerk", "call", "call again")

    [again] = engine.work_items(iid)
    assert (again.activity_id, again.holder) == ("call", "clerk")
