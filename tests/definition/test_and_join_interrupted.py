"""``and-join-interrupted``: a Parallel join that waits both for an activity's own way out and
for the way of an interrupting event attached to it never fires (only one of them comes), which
the engine otherwise finds only at run time as a ``deadlock`` incident on the join."""

from __future__ import annotations

from typing import Any

from wfengine import Engine, PackageBuilder, multi_instance, validate


def _process(
    trigger: dict[str, Any],
    *,
    between: bool = False,
    merge: bool = False,
    loop_back: bool = False,
    **task: Any,
) -> PackageBuilder:
    """A parallel split runs 'work' (a person's, with the attached event 'stop') beside 'other';
    a Parallel join 'join' takes 'work''s way, 'other''s and the event's way (through a step
    on each with ``between``; through an Exclusive merge of the two with ``merge``). With
    ``loop_back``, 'other' may send its token back to 'work' instead of to the join."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.start("s").route("fork", gateway="Parallel")
    p.activity("work", performer="clerk", **task).activity("other", performer="clerk")
    p.intermediate("stop", attached_to="work", **trigger)
    p.route("join", gateway="Parallel").end("e")
    p.sequence("s", "fork")
    if loop_back:
        p.data_field("again", "BOOLEAN", initial="false")
        p.route("again_in").route("check")
        p.transition("fork", "again_in").transition("again_in", "work")
        p.transition("other", "check").transition("check", "again_in", condition="again")
        p.transition("check", "join", otherwise=True)
    else:
        p.transition("fork", "work").transition("other", "join")
    p.transition("fork", "other")
    if merge:
        p.route("merge").transition("work", "merge").transition("stop", "merge")
        p.transition("merge", "join", id="merged")
    elif between:
        p.activity("filed", script="1").activity("chased", script="1")
        p.sequence("work", "filed").transition("filed", "join", id="normal")
        p.sequence("stop", "chased").transition("chased", "join", id="interrupted")
    else:
        p.transition("work", "join", id="normal").transition("stop", "join", id="interrupted")
    p.sequence("join", "e")
    return pb


def _found(pb: PackageBuilder) -> list[str]:
    return [d.message for d in validate(pb.build()) if d.code == "and-join-interrupted"]


def test_a_join_waiting_for_an_activity_and_its_interrupting_event_is_reported() -> None:
    [message] = _found(_process({"message": "stop"}))
    assert message.startswith("activity 'join' in process 'main' is a Parallel join")
    assert "'normal' after 'work' finishes" in message
    assert "'interrupted' from the interrupting event 'stop' on 'work'" in message
    assert "Exclusive join" in message
    [d] = [d for d in validate(_process({"message": "stop"}).build()) if d.code.startswith("and")]
    assert d.element_id == "join" and d.severity.value == "warning"


def test_steps_on_either_way_do_not_hide_it() -> None:
    assert len(_found(_process({"timer": "PT1H"}, between=True))) == 1


def test_an_error_event_interrupts_whatever_it_says() -> None:
    assert len(_found(_process({"code": "E1", "trigger": "Error", "interrupting": False}))) == 1


def test_the_advice_offers_interrupting_false_only_to_events_that_can_take_it() -> None:
    """An Error or Cancel event always interrupts, so the advice leaves that fix out for it."""
    [message] = _found(_process({"message": "stop"}))
    assert message.endswith(
        'merge those ways with an Exclusive join before it, or make the event Interrupting="false"'
    )
    for trigger in ({"code": "E1", "trigger": "Error"}, {"trigger": "Cancel"}):
        [message] = _found(_process(trigger))
        assert message.endswith(
            "merge those ways with an Exclusive join before it (an Error or Cancel event "
            "always interrupts)"
        )
        assert "Interrupting" not in message


def test_what_can_bring_both_tokens_is_not_reported() -> None:
    assert _found(_process({"message": "stop", "interrupting": False})) == []
    assert _found(_process({"message": "stop"}, merge=True)) == []
    # a multi-instance activity whose instances leave one by one passes a token before the
    # event interrupts the rest
    lone = multi_instance("3", flow="None")
    assert _found(_process({"message": "stop"}, loop=lone)) == []
    assert len(_found(_process({"message": "stop"}, loop=multi_instance("3")))) == 1


def test_the_reported_join_does_deadlock_when_run() -> None:
    with Engine() as engine:
        engine.deploy(_process({"message": "stop"}).build())
        iid = engine.start_process("main")
        engine.send_message("stop", {}, instance_id=iid)
        [other] = engine.work_items(iid)
        engine.complete_work_item(other.id)
        assert [(i.activity_id, i.operation) for i in engine.incidents(iid)] == [
            ("join", "deadlock")
        ]


def test_an_activity_that_can_run_twice_is_not_reported() -> None:
    """Reached again by a loop back (or by two merged ways), the activity may finish once and
    be interrupted once, so the join may get both tokens."""
    assert _found(_process({"message": "stop"}, loop_back=True)) == []
