"""Event sub-processes (issue 11, item 3): an activity set with ``TriggeredByEvent="true"``,
run by a block activity no transition reaches, starts when its start event's trigger fires
while the scope holding it runs: interrupting (the rest withdrawn) or beside the rest."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.runtime.conftest import run
from wfengine import Engine, PackageBuilder, ProcessState, VirtualClock, validate


def _process(interrupting: bool = True, **start: Any) -> PackageBuilder:
    """'work' (a person's) then 'done'; an event sub-process 'on_event' (start 'caught',
    then 'handle') on the given start trigger."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("note", "STRING")
    p.start("s").activity("work", performer="clerk").end("done")
    p.sequence("s", "work", "done")
    sub = p.activity_set("reaction", triggered_by_event=True)
    caught = "caught"
    sub.start(caught, interrupting=None if interrupting else False, **start)
    sub.activity("handle", performer="clerk").end("handled")
    sub.sequence(caught, "handle", "handled")
    p.block("on_event", activity_set="reaction")
    return pb


def test_the_definition_validates_clean_and_survives_the_xpdl_round_trip() -> None:
    from wfengine import dump_xpdl, load_xpdl

    package = load_xpdl(dump_xpdl(_process(interrupting=False, message="cancel").build()))
    assert validate(package) == []
    reaction = package.workflow_processes[0].activity_sets[0]
    assert dict(reaction.extra_attrs)["TriggeredByEvent"] == "true"
    start = reaction.activities[0].event
    assert start is not None and start.interrupting is False


def test_an_interrupting_message_withdraws_the_rest(engine: Engine) -> None:
    iid = run(engine, _process(message="cancel"))
    [work] = engine.work_items(iid)
    assert work.activity_id == "work"  # the event sub-process does not start with the process
    engine.send_message("cancel", {"note": "customer withdrew"}, instance_id=iid)
    [handle] = engine.work_items(iid)
    assert handle.activity_id == "handle"
    states = {a.activity_id: a.state.value for a in engine.activity_instances(iid)}
    assert states["work"] == "closed.aborted"
    engine.complete_work_item(handle.id)
    assert engine.trace(iid) == ["s", "caught", "handle", "handled", "on_event"]
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.instance(iid).data["note"] == "customer withdrew"


def test_a_non_interrupting_timer_runs_beside_the_rest_each_cycle(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = run(engine, _process(interrupting=False, timer="R/PT1H"))
    clock.advance(timedelta(hours=1))
    clock.advance(timedelta(hours=1))
    kinds = sorted(w.activity_id for w in engine.work_items(iid))
    assert kinds == ["handle", "handle", "work"]
    for item in engine.work_items(iid):
        if item.activity_id == "handle":
            engine.complete_work_item(item.id)
    [work] = engine.work_items(iid)
    engine.complete_work_item(work.id)
    assert engine.timers(iid) == []  # the scope is done: its timer disarmed
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.trace(iid).count("on_event") == 2


def test_an_error_thrown_in_the_scope_starts_its_error_event_subprocess(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.application("charge")
    engine.applications.register("charge", lambda: 1 / 0)
    p.start("s").activity("pay", tool="charge").end("done").sequence("s", "pay", "done")
    sub = p.activity_set("failed", triggered_by_event=True)
    sub.start("oops", trigger="Error", code="ZeroDivisionError").activity("refund").end("e")
    sub.sequence("oops", "refund", "e")
    p.block("on_error", activity_set="failed")
    iid = run(engine, pb)
    assert engine.incidents(iid) == []
    assert engine.trace(iid) == ["s", "oops", "refund", "e", "on_error"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_signal_reaches_an_event_subprocess(engine: Engine) -> None:
    iid = run(engine, _process(signal="recall"))
    assert engine.broadcast_signal("recall") == 1
    [handle] = engine.work_items(iid)
    assert handle.activity_id == "handle"


def test_an_event_subprocess_in_a_block_is_armed_while_the_block_runs(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    inner = p.activity_set("inner")
    inner.activity("step", performer="clerk")
    inner.block("on_stop", activity_set="reaction")
    sub = p.activity_set("reaction", triggered_by_event=True)
    sub.start("stop", message="stop").activity("tidy")
    sub.transition("stop", "tidy")
    p.activity("before", performer="clerk").block("region", activity_set="inner")
    p.activity("after").sequence("before", "region", "after")
    iid = run(engine, pb)
    assert engine.send_message("stop", instance_id=iid) is False  # not armed yet: kept
    [before] = engine.work_items(iid)
    engine.complete_work_item(before.id)  # the block starts: the kept message starts it
    assert engine.trace(iid) == ["before", "stop", "tidy", "on_stop", "region", "after"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_an_interrupting_event_subprocess_disarms_its_scope_for_good(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("note", "STRING")
    p.start("s").activity("work", performer="clerk").end("done").sequence("s", "work", "done")
    sub = p.activity_set("reaction", triggered_by_event=True)
    sub.start("caught", message="cancel").activity("handle", performer="clerk").end("handled")
    sub.sequence("caught", "handle", "handled")
    p.block("on_event", activity_set="reaction")
    alarm = p.activity_set("alarm", triggered_by_event=True)
    alarm.start("sig", signal="alarm").activity("panic", performer="clerk").end("panicked")
    alarm.sequence("sig", "panic", "panicked")
    p.block("on_alarm", activity_set="alarm")
    iid = run(engine, pb)
    assert engine.send_message("cancel", {"note": "first"}, instance_id=iid)
    [handle] = engine.work_items(iid)
    # a second message does not start it again (aborting its handler): nothing takes it
    assert engine.send_message("cancel", {"note": "second"}, instance_id=iid) is False
    assert engine.broadcast_signal("alarm") == 0  # nor does another event sub-process start
    assert [w.id for w in engine.work_items(iid)] == [handle.id]
    assert engine.instance(iid).data["note"] == "first"
    engine.complete_work_item(handle.id)
    assert engine.trace(iid) == ["s", "caught", "handle", "handled", "on_event"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_an_error_event_subprocess_that_rethrows_reaches_the_callers_catch(
    engine: Engine,
) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    c = pb.process("child")
    c.application("charge")
    engine.applications.register("charge", lambda: 1 / 0)
    c.start("cs").activity("pay", tool="charge").end("ce").sequence("cs", "pay", "ce")
    h = c.activity_set("on_error", triggered_by_event=True)
    h.start("caught", trigger="Error").activity("log", performer="clerk")
    h.end("rethrow", result="Error", code="FAILED").sequence("caught", "log", "rethrow")
    c.block("handler", activity_set="on_error")
    m = pb.process("main")
    m.start("s").subflow("call", process="child").end("ok").sequence("s", "call", "ok")
    m.intermediate("failed", trigger="Error", code="FAILED", attached_to="call")
    m.activity("compensate", performer="clerk").end("e2").sequence("failed", "compensate", "e2")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    (child,) = [s.id for s in engine.instance_summaries() if s.process_id == "child"]
    [log] = engine.work_items(child)
    engine.complete_work_item(log.id)  # logged; the handler rethrows, once
    assert engine.trace(child) == ["cs", "caught", "log", "rethrow"]
    assert engine.instance(child).state is ProcessState.ABORTED
    [compensate] = engine.work_items(iid)
    assert compensate.activity_id == "compensate"


def test_an_event_subprocess_does_not_catch_what_it_throws(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    inner = p.activity_set("inner")
    inner.start("is").intermediate("warn", trigger="Escalation", code="late", throw=True)
    inner.activity("work", performer="clerk").end("ie").sequence("is", "warn", "work", "ie")
    inner.block("on_late", activity_set="noted")
    noted = p.activity_set("noted", triggered_by_event=True)
    noted.start("late", trigger="Escalation", code="late", interrupting=False).activity("note")
    noted.end("pass_on", result="Escalation", code="late").sequence("late", "note", "pass_on")
    p.start("s").block("region", activity_set="inner").end("e").sequence("s", "region", "e")
    p.intermediate(
        "up", trigger="Escalation", code="late", attached_to="region", interrupting=False
    )
    p.activity("escalated", performer="clerk").end("e2").sequence("up", "escalated", "e2")
    iid = run(engine, pb)
    assert engine.incidents(iid) == []
    # the handler ran once; what it passes on reaches the block's attached event
    assert engine.trace(iid).count("note") == 1
    assert sorted(w.activity_id for w in engine.work_items(iid)) == ["escalated", "work"]


def _timed_sub(timer: str) -> PackageBuilder:
    """'work' (a person's) then 'done'; a non-interrupting event sub-process 'on_event' on
    ``timer`` over the INTEGER field ``minutes`` (no value at first)."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("minutes", "INTEGER")
    p.start("s").activity("work", performer="clerk").end("done").sequence("s", "work", "done")
    sub = p.activity_set("reaction", triggered_by_event=True)
    sub.start("caught", timer=timer, interrupting=False).activity("tidy").end("tidied")
    sub.sequence("caught", "tidy", "tidied")
    p.block("on_event", activity_set="reaction")
    return pb


def test_an_event_subprocess_timer_whose_time_cannot_be_had_is_an_incident(
    engine: Engine,
) -> None:
    iid = run(engine, _timed_sub("minutes * 60"))
    [incident] = engine.incidents(iid)
    assert (incident.activity_id, incident.operation) == ("on_event", "arm")
    assert incident.activity_instance_id is None
    assert "event sub-process 'on_event' is not armed" in incident.message
    [work] = engine.work_items(iid)
    assert work.activity_id == "work"  # the scope goes on without it


def test_retrying_an_event_subprocess_timer_arms_it(engine: Engine, clock: VirtualClock) -> None:
    iid = run(engine, _timed_sub("minutes * 60"))
    [incident] = engine.incidents(iid)
    engine.set_data(iid, {"minutes": 5})
    engine.retry_incident(incident.id)
    assert engine.incidents(iid) == []
    clock.advance(timedelta(minutes=5))
    assert engine.trace(iid) == ["s", "caught", "tidy", "tidied", "on_event"]
