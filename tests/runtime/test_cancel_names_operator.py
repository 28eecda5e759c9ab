"""An operator's ``cancel_activity`` (WAPI's ``change_activity_instance_state(..., "aborted")``)
names who asked on the ``activity.aborted`` it records, also for an activity with no work item
or subflow to name them on (a catch event, a block): the trail told an operator's cancel from a
boundary interrupt only by the events around it, and ``audit_events(user=...)`` missed it. An
interrupt by the engine names nobody, and a cancel without a user records the bare marker it
always did. Every store (the ``engine`` fixture)."""

from __future__ import annotations

import io
from datetime import timedelta

from lxml import etree

from tests.runtime.conftest import run
from wfengine.audit import write_xes
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.history import ActivityAborted
from wfengine.wapi import connect

OPS = "ops-anna"


def _waiting(*, timer: bool = False) -> PackageBuilder:
    """``wait``: a message catch event (no work item), then ``next``; with ``timer``, a
    boundary timer of an hour interrupting it, to ``escalate``."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.intermediate("wait", message="reply").activity("next").sequence("wait", "next")
    if timer:
        p.intermediate("late", timer="PT1H", attached_to="wait").activity("escalate")
        p.transition("late", "escalate")
    return pb


def _open(engine: Engine, iid: str, activity_id: str) -> str:
    return next(
        a.id
        for a in engine.activity_instances(iid)
        if a.activity_id == activity_id and a.state.is_open
    )


def _aborted(engine: Engine, iid: str) -> list[tuple[str | None, object, str | None]]:
    """(activity, payload, user) of each ``activity.aborted`` of the instance."""
    return [
        (e.activity_id, e.payload, e.user)
        for e in engine.audit(iid)
        if e.kind == "activity.aborted"
    ]


def test_cancelling_a_catch_event_names_the_operator(engine: Engine) -> None:
    iid = run(engine, _waiting())
    engine.cancel_activity(iid, _open(engine, iid, "wait"), user=OPS)
    assert _aborted(engine, iid) == [("wait", ActivityAborted(OPS), OPS)]
    by_ops = engine.audit_events(user=OPS)
    assert [(e.kind, e.activity_id) for e in by_ops] == [("activity.aborted", "wait")]
    # and XES credits the abort to them
    out = io.BytesIO()
    write_xes(engine, out, instance_id=iid)
    events = [
        {a.get("key"): a.get("value") for a in x}
        for x in etree.fromstring(out.getvalue()).iter("event")
    ]
    assert [(v["lifecycle:transition"], v.get("org:resource")) for v in events] == [
        ("start", None),
        ("ate_abort", OPS),
    ]


def test_a_cancel_without_a_user_records_the_bare_marker(engine: Engine) -> None:
    iid = run(engine, _waiting())
    engine.cancel_activity(iid, _open(engine, iid, "wait"))
    assert _aborted(engine, iid) == [("wait", ActivityAborted(), None)]
    assert [e.detail for e in engine.audit(iid) if e.kind == "activity.aborted"] == [None]


def test_the_wapi_cancel_names_the_sessions_user(engine: Engine) -> None:
    engine.deploy(_waiting().build())
    ann = connect(engine, "ann")
    iid = ann.create_process_instance("main", {})
    ann.start_process(iid)
    ann.change_activity_instance_state(iid, _open(engine, iid, "wait"), "aborted")
    assert _aborted(engine, iid) == [("wait", ActivityAborted("ann"), "ann")]
    assert "activity.aborted" in [e.kind for e in engine.audit_events(user="ann")]


def test_cancelling_a_block_names_the_operator_on_what_it_closed(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity_set("inner").intermediate("wait", message="reply")
    p.block("b", activity_set="inner").activity("next").sequence("b", "next")
    iid = run(engine, pb)
    engine.cancel_activity(iid, _open(engine, iid, "b"), user=OPS)
    assert sorted(_aborted(engine, iid), key=str) == [
        ("b", ActivityAborted(OPS), OPS),
        ("wait", ActivityAborted(OPS), OPS),
    ]


def test_an_interrupt_by_the_engine_names_nobody(engine: Engine, clock: VirtualClock) -> None:
    iid = run(engine, _waiting(timer=True))
    clock.advance(timedelta(hours=2))
    engine.run_due_jobs()
    # nobody named: the record says which event did it instead (abort_causes)
    by_timer = ActivityAborted(cause="event", event="late", trigger="Timer")
    assert _aborted(engine, iid) == [("wait", by_timer, None)]
