"""An application that raises ``SystemExit`` or ``KeyboardInterrupt`` inside a synchronous call.

It escaped the command half-way: on the memory store (no rollback) the work item was
completed and the Tool activity left running with no incident and no job, stuck for good.
Now the call fails, never retried, and no further call of the command is made. In the main
thread, where it may be the program's stop (Ctrl-C, a signal handler calling ``sys.exit``),
it is raised again: a database rolls the command back first (as before: nothing changed),
the memory store commits the call's incident first (the instance is whole, the operator
retries it). In any other thread only the application can have raised it, and the incident
is all, on every store (as in a Worker's threads).
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from wfengine.applications.calling import call_application
from wfengine.applications.events import ApplicationFailed
from wfengine.applications.registry import ApplicationRegistry, make_binding
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ActivityState, ProcessState


def _deploy(engine: Engine) -> str:
    """An instance waiting at ``before`` (a person's), whose next activity calls ``app``."""
    pb = PackageBuilder("stops")
    pb.application("app", params=[])
    p = pb.process("p")
    p.start("s")
    p.activity("before", performer="clerk")
    p.activity("call", tool="app", args=[])
    p.end("e")
    p.sequence("s", "before", "call", "e")
    engine.deploy(pb.build())
    return engine.start_process("p")


@pytest.mark.parametrize("stop", [SystemExit(2), KeyboardInterrupt()])
def test_a_stop_in_a_call_is_raised_and_leaves_the_instance_whole(
    engine: Engine, store_kind: str, stop: BaseException
) -> None:
    engine.applications = ApplicationRegistry(sleep=lambda seconds: None)
    calls: list[int] = []

    def app() -> None:
        calls.append(1)
        raise stop

    engine.applications.register("app", app, retries=3)
    iid = _deploy(engine)
    [item] = engine.work_items(iid)
    with pytest.raises(type(stop)):
        engine.complete_work_item(item.id)
    assert not engine.in_command
    assert calls == [1]  # a stop is not retried
    states = {a.activity_id: a.state for a in engine.activity_instances(iid)}
    engine.applications.register("app", lambda: None)
    if store_kind != "memory":  # rolled back: the person's work is still to do
        assert engine.incidents(iid) == []
        assert [w.id for w in engine.work_items(iid)] == [item.id]
        assert "call" not in states
        engine.complete_work_item(item.id)
    else:  # no rollback: the call's incident is committed, then the stop raised
        [incident] = engine.incidents(iid)
        assert incident.activity_id == "call" and incident.application_id == "app"
        assert f"raised {type(stop).__name__}" in incident.message
        assert states["before"] is ActivityState.COMPLETED
        assert states["call"] is ActivityState.RUNNING
        kinds = [event.kind for event in engine.audit(iid)]
        assert kinds[-3:] == ["application.invoked", "application.failed", "incident.opened"]
        engine.retry_incident(incident.id)  # the operator's answer, as for any failed call
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_no_call_is_made_after_a_stop_in_the_same_command() -> None:
    """Ctrl-C in one branch's call: the other branch's call, ready in the same command, is not
    started (the memory store commits it as an incident of its own)."""
    engine = Engine()
    calls: list[str] = []

    def first() -> None:
        calls.append("first")
        raise KeyboardInterrupt

    engine.applications.register("first", first)
    engine.applications.register("second", lambda: calls.append("second"))
    pb = PackageBuilder("stops")
    pb.application("first", params=[])
    pb.application("second", params=[])
    p = pb.process("p")
    p.activity("fork", split="Parallel")
    p.activity("a", tool="first", args=[]).activity("b", tool="second", args=[])
    p.transition("fork", "a").transition("fork", "b")
    engine.deploy(pb.build())
    with pytest.raises(KeyboardInterrupt):
        engine.start_process("p")
    assert calls == ["first"]
    [summary] = engine.instance_summaries()
    incidents = {i.activity_id: i.message for i in engine.incidents(summary.id)}
    assert "raised KeyboardInterrupt" in incidents["a"]
    assert "was not called: the command was stopped (KeyboardInterrupt" in incidents["b"]
    engine.applications.register("first", lambda: None)
    for incident in engine.incidents(summary.id):
        engine.retry_incident(incident.id)
    assert calls == ["first", "second"]
    assert engine.instance(summary.id).state is ProcessState.COMPLETED


def test_a_stop_in_a_call_in_another_thread_is_only_the_incident() -> None:
    """Signals reach only the main thread: there, the application raised it (sys.exit)."""
    engine = Engine()

    def app() -> None:
        raise SystemExit(3)

    engine.applications.register("app", app)
    iid = _deploy(engine)
    [item] = engine.work_items(iid)
    raised: list[BaseException] = []

    def complete() -> None:
        try:
            engine.complete_work_item(item.id)
        except BaseException as exc:  # what the thread would die of
            raised.append(exc)

    thread = threading.Thread(target=complete)
    thread.start()
    thread.join()
    assert raised == []
    [incident] = engine.incidents(iid)
    assert "raised SystemExit: 3" in incident.message
    engine.applications.register("app", lambda: None)
    engine.retry_incident(incident.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_call_application_records_the_stop_and_raises_it() -> None:
    """Outside the engine, the caller's stop is raised as it came, the attempt recorded."""
    records: list[Any] = []

    def app() -> None:
        raise KeyboardInterrupt

    binding = make_binding("app", app, retries=2)
    with pytest.raises(KeyboardInterrupt):
        call_application(binding, {}, "k", sleep=lambda s: None, record=records.append)
    assert [type(r).__name__ for r in records] == ["ApplicationInvoked", "ApplicationFailed"]
    failed = records[-1]
    assert isinstance(failed, ApplicationFailed) and failed.retry_in is None
