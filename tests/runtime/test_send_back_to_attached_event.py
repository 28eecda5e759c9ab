"""Work cannot be sent back to an event attached to an activity: only that activity running
fires it. Begun again on its own it "fired" at once (no timer, no message), its handler was
offered again and the activity never ran again. The refusal names the activity and where to
send the work instead; nothing is changed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.errors import IllegalStateError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import WorkItemState


def _escalating(trigger: str) -> PackageBuilder:
    """review, interrupted by bt (a timer or a message), escalates; either way on to approve."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.start("st").activity("review", performer="clerk")
    if trigger == "timer":
        p.intermediate("bt", timer="PT1H", attached_to="review", interrupting=True)
    else:
        p.intermediate("bt", message="ping", attached_to="review", interrupting=True)
    p.activity("escalate", performer="clerk").route("j", gateway="Exclusive")
    p.activity("approve", performer="clerk").end("end")
    p.transition("st", "review").transition("review", "j").transition("bt", "escalate")
    p.transition("escalate", "j").transition("j", "approve").transition("approve", "end")
    return pb


@pytest.mark.parametrize("trigger", ["timer", "message"])
def test_send_back_to_an_interrupting_event_that_fired_is_refused_naming_where_to(
    engine: Engine, clock: VirtualClock, trigger: str
) -> None:
    engine.deploy(_escalating(trigger).build())
    iid = engine.start_process("main", {})
    if trigger == "timer":
        clock.advance(timedelta(hours=2))
    else:
        engine.send_message("ping", {}, instance_id=iid)
    [escalate] = engine.work_items(iid)
    engine.complete_work_item(escalate.id, {})
    [approve] = engine.work_items(iid)
    engine.claim_work_item(approve.id, "clerk")
    trace, audit = engine.trace(iid), len(engine.audit_events(instance_id=iid))

    with pytest.raises(IllegalStateError) as refused:
        engine.send_back_work_item(approve.id, "clerk", "bt", "redo the review")

    message = str(refused.value)
    assert "work item" in message and "to 'bt'" in message
    assert "an event attached to 'review'" in message
    # review never completed (the event interrupted it): the work goes where the event led
    assert "send it back to 'escalate'" in message
    assert message.endswith("nothing was changed")
    [still] = engine.work_items(iid)
    assert (still.id, still.state, still.holder) == (approve.id, WorkItemState.ALLOCATED, "clerk")
    assert engine.trace(iid) == trace
    assert len(engine.audit_events(instance_id=iid)) == audit
    # where the message says, it goes
    engine.send_back_work_item(approve.id, "clerk", "escalate", "escalate again")
    assert [w.activity_id for w in engine.work_items(iid)] == ["escalate"]


def test_send_back_to_an_event_of_an_activity_that_completed_names_the_activity(
    engine: Engine,
) -> None:
    # bt does not interrupt review: it fired (its note ran), then review completed
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.start("st").activity("review", performer="clerk")
    p.intermediate("bt", message="ping", attached_to="review", interrupting=False)
    p.activity("note").end("noted").activity("approve", performer="clerk").end("end")
    p.transition("st", "review").transition("review", "approve").transition("approve", "end")
    p.transition("bt", "note").transition("note", "noted")
    engine.deploy(pb.build())
    iid = engine.start_process("main", {})
    engine.send_message("ping", {}, instance_id=iid)
    [review] = engine.work_items(iid)
    engine.claim_work_item(review.id, "clerk")
    engine.complete_work_item(review.id, {})
    [approve] = engine.work_items(iid)
    engine.claim_work_item(approve.id, "clerk")

    with pytest.raises(IllegalStateError, match=r"send it back to 'review'; nothing was changed"):
        engine.send_back_work_item(approve.id, "clerk", "bt", "redo the review")

    assert [w.id for w in engine.work_items(iid)] == [approve.id]
    engine.send_back_work_item(approve.id, "clerk", "review", "redo the review")
    [again] = engine.work_items(iid)
    assert (again.activity_id, again.holder) == ("review", "clerk")
