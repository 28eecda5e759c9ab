"""The ``activity.aborted`` / ``activity.terminated`` record of an activity the engine closed
says why (``cause``, and the event, its trigger and name, or the activity that did it): the
trail said nothing, and a reader had to guess from the events around it which of an
activity's boundary events, a deadline, an event sub-process or a Terminate end event had
closed it. Every store (the ``engine`` fixture)."""

from __future__ import annotations

import io
from dataclasses import fields
from datetime import timedelta
from typing import Any

from lxml import etree

from tests.runtime.conftest import run
from wfengine.audit import write_xes
from wfengine.definition.build_arguments import deadline
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.definition.model import GatewayType, Join
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.history import CAUSE_FIELDS, ActivityAborted, ActivityTerminated

_CLOSED = ("activity.aborted", "activity.terminated")


def _closed(engine: Engine, iid: str) -> dict[str, tuple[str, Any]]:
    """activity id -> (kind, detail) of each activity instance the engine closed."""
    return {e.activity_id or "": (e.kind, e.detail) for e in engine.audit(iid) if e.kind in _CLOSED}


def _watched() -> PackageBuilder:
    """``w``, a person's work with a synchronous deadline of two hours (to ``chase``) and an
    interrupting boundary message ``stop``."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    late = deadline("PT2H", "late", execution="SYNCHR")
    p.start("s").activity("w", performer="clerk", deadlines=[late]).end("e")
    p.sequence("s", "w", "e")
    p.intermediate("stop", message="stop", attached_to="w").end("se")
    p.sequence("stop", "se")
    p.activity("chase", performer="clerk").end("ce")
    p.transition("w", "chase", exception="late")
    p.sequence("chase", "ce")
    return pb


def test_a_boundary_message_names_its_event(engine: Engine) -> None:
    iid = run(engine, _watched())
    engine.send_message("stop", {}, instance_id=iid)
    why = {"cause": "event", "event": "stop", "trigger": "Message", "name": "stop"}
    assert _closed(engine, iid) == {"w": ("activity.aborted", why)}
    [aborted] = [e for e in engine.audit(iid) if e.kind == "activity.aborted"]
    assert aborted.payload == ActivityAborted(None, "event", "stop", "Message", "stop")
    assert aborted.user is None  # the engine's doing: nobody named


def test_a_synchronous_deadline_names_its_exception(engine: Engine, clock: VirtualClock) -> None:
    iid = run(engine, _watched())
    clock.advance(timedelta(hours=3))
    engine.run_due_jobs()
    assert _closed(engine, iid) == {
        "w": ("activity.terminated", {"cause": "deadline", "name": "late"})
    }
    [ended] = [e for e in engine.audit(iid) if e.kind == "activity.terminated"]
    assert ended.payload == ActivityTerminated("deadline", name="late")


def test_terminating_the_instance_says_so(engine: Engine) -> None:
    iid = run(engine, _watched())
    engine.terminate(iid, user="ops")
    assert _closed(engine, iid) == {"w": ("activity.terminated", {"cause": "instance"})}


def test_an_interrupting_event_subprocess_names_itself(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.start("s").activity("work", performer="clerk").end("done")
    p.sequence("s", "work", "done")
    sub = p.activity_set("reaction", triggered_by_event=True)
    sub.start("caught", message="cancel").activity("handle", performer="clerk").end("handled")
    sub.sequence("caught", "handle", "handled")
    p.block("on_event", activity_set="reaction")
    iid = run(engine, pb)
    engine.send_message("cancel", {}, instance_id=iid)
    why = {"cause": "event-subprocess", "event": "on_event", "trigger": "Message", "name": "cancel"}
    assert _closed(engine, iid) == {"work": ("activity.aborted", why)}


def test_an_error_caught_on_a_block_names_its_event_on_everything_inside(engine: Engine) -> None:
    """The error ends the block's branch; ``w``, open beside it inside the block, and the
    block itself both name the block's Error event."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    inner = p.activity_set("inner")
    inner.start("is").route("fork", gateway="Parallel").activity("w", performer="clerk")
    inner.end("ie").end("fail", result="Error", code="E1")
    inner.sequence("is", "fork", "w", "ie").transition("fork", "fail")
    p.start("s").block("b", activity_set="inner").end("e").sequence("s", "b", "e")
    p.intermediate("caught", trigger="Error", code="E1", attached_to="b").end("ce")
    p.sequence("caught", "ce")
    iid = run(engine, pb)
    why = {"cause": "event", "event": "caught", "trigger": "Error", "name": "E1"}
    assert _closed(engine, iid) == {"b": ("activity.aborted", why), "w": ("activity.aborted", why)}


def test_a_terminate_end_event_and_an_event_gateway_name_what_closed_the_rest(
    engine: Engine,
) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.start("s").route("fork", gateway="Parallel").activity("w", performer="clerk").end("we")
    p.route("gw", gateway="EventBased")
    p.intermediate("a", message="a").end("stop", terminate=True)
    p.intermediate("b", message="b").end("be")
    p.sequence("s", "fork", "w", "we").sequence("fork", "gw", "a", "stop")
    p.sequence("gw", "b", "be")
    iid = run(engine, pb)
    engine.send_message("a", {}, instance_id=iid)
    assert _closed(engine, iid) == {
        "b": ("activity.aborted", {"cause": "gateway", "activity": "a"}),
        "w": (
            "activity.terminated",
            {"cause": "terminate", "event": "stop", "trigger": "Terminate"},
        ),
    }


def test_an_operators_cancel_names_them_and_no_cause(engine: Engine) -> None:
    iid = run(engine, _watched())
    [w] = [a.id for a in engine.activity_instances(iid) if a.activity_id == "w"]
    engine.cancel_activity(iid, w, user="ops")
    assert _closed(engine, iid) == {"w": ("activity.aborted", {"user": "ops"})}


def test_a_record_stored_before_causes_reads_back_as_before() -> None:
    assert ActivityAborted.of(None) == ActivityAborted()
    assert ActivityAborted.of({"user": "ops"}) == ActivityAborted("ops")
    assert ActivityTerminated.of(None) == ActivityTerminated()
    assert ActivityTerminated().detail() is None


def test_aborted_and_terminated_carry_the_same_cause_fields() -> None:
    """Declared once for both (a sixth cause field added to one only would not be read back
    from the other's detail); ``user`` stays the aborted record's first argument."""
    assert [f.name for f in fields(ActivityTerminated)] == list(CAUSE_FIELDS)
    assert [f.name for f in fields(ActivityAborted)] == ["user", *CAUSE_FIELDS]
    everything = {"cause": "event", "event": "e", "trigger": "Timer", "name": "n", "activity": "a"}
    assert ActivityTerminated.of(everything).detail() == everything
    assert ActivityAborted.of({**everything, "user": "ops"}).detail() == {
        **everything,
        "user": "ops",
    }


def test_a_cancelling_join_names_itself_on_the_branches_it_withdrew(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.start("st").route("s", gateway="Parallel")
    for b in ("b1", "b2"):
        p.activity(b, performer="clerk").transition("s", b).transition(b, "d")
    first = Join(type=GatewayType.COMPLEX, incoming_condition="arrived >= 1")
    p.route("d", join=first, extended={"wfengine:cancelRemaining": "true"}).end("en")
    p.sequence("st", "s").sequence("d", "en")
    iid = run(engine, pb)
    engine.complete_work_item(next(w.id for w in engine.work_items(iid) if w.activity_id == "b1"))
    assert _closed(engine, iid) == {"b2": ("activity.aborted", {"cause": "join", "activity": "d"})}


def test_a_completion_condition_names_its_multi_instance_activity(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    loop = multi_instance("2", flow="Complex", complex_flow_condition="true")
    p.activity("m", performer="clerk", loop=loop, extended={"wfengine:cancelRemaining": "true"})
    p.activity("z", performer="clerk").transition("m", "z")
    iid = run(engine, pb)
    engine.complete_work_item(engine.work_items(iid)[0].id)
    why = {"cause": "completion", "activity": "m"}
    assert [(e.kind, e.detail) for e in engine.audit(iid) if e.kind in _CLOSED] == [
        ("activity.aborted", why)
    ]


def test_an_error_an_exception_transition_catches_names_it(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    inner = p.activity_set("inner")
    inner.start("is").route("fork", gateway="Parallel").activity("w", performer="clerk")
    inner.end("ie").end("fail", result="Error", code="E1")
    inner.sequence("is", "fork", "w", "ie").transition("fork", "fail")
    p.start("s").block("b", activity_set="inner").end("e").sequence("s", "b", "e")
    p.activity("fix").end("fe").transition("b", "fix", exception="E1").sequence("fix", "fe")
    iid = run(engine, pb)
    why = {"cause": "exception", "trigger": "Error", "name": "E1"}
    assert _closed(engine, iid) == {"b": ("activity.aborted", why), "w": ("activity.aborted", why)}


def test_sending_work_back_names_where_it_went(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity("draft", performer="clerk").activity("check", performer="clerk")
    p.transition("draft", "check")
    iid = run(engine, pb)
    engine.complete_work_item(engine.work_items(iid)[0].id, user="clerk")
    (check,) = engine.work_items(iid)
    engine.claim_work_item(check.id, "clerk")
    engine.send_back_work_item(check.id, "clerk", "draft", "the amount is missing")
    why = {"cause": "send-back", "activity": "draft"}
    assert _closed(engine, iid) == {"check": ("activity.terminated", why)}


def test_the_xes_abort_names_the_cause(engine: Engine) -> None:
    iid = run(engine, _watched())
    engine.send_message("stop", {}, instance_id=iid)
    out = io.BytesIO()
    write_xes(engine, out, instance_id=iid)
    events = [
        {a.get("key"): a.get("value") for a in x}
        for x in etree.fromstring(out.getvalue()).iter("event")
    ]
    [aborted] = [v for v in events if v["lifecycle:transition"] == "ate_abort"]
    assert {k: v for k, v in aborted.items() if k.startswith("wfengine:cause")} == {
        "wfengine:cause": "event",
        "wfengine:cause_event": "stop",
        "wfengine:cause_trigger": "Message",
        "wfengine:cause_name": "stop",
    }


def test_an_adhoc_sets_completion_names_the_block_running_it(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    m = pb.process("main")
    m.start("s").block("blk", activity_set="ah").end("e").sequence("s", "blk", "e")
    ah = m.activity_set("ah", adhoc="Parallel", completion="true")
    for name in ("a1", "a2"):
        ah.activity(name, performer="clerk")
    iid = run(engine, pb)
    engine.complete_work_item(next(w.id for w in engine.work_items(iid) if w.activity_id == "a1"))
    why = {"cause": "completion", "activity": "blk"}
    assert _closed(engine, iid) == {"a2": ("activity.aborted", why)}
