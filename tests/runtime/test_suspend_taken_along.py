"""Suspending a case takes along the synchronous subflows it waits for, and resuming it
continues those: only those. A subflow an operator had suspended on its own before stays
suspended when its caller is suspended and resumed (it was resumed with the caller), and what
waits under it with it; the events of the subflows taken along name who took them (``by``)."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.runtime.history import InstanceStateChanged

SUSPENDED = ProcessState.SUSPENDED
RUNNING = ProcessState.RUNNING


def _chain() -> PackageBuilder:
    """``p0`` calls ``p1`` calls ``p2`` (synchronous), which waits for a person."""
    pb = PackageBuilder("pkg")
    pb.process("p2").activity("work", performer="clerk")
    for level in (1, 0):
        p = pb.process(f"p{level}")
        p.subflow("call", process=f"p{level + 1}").activity("end").transition("call", "end")
    return pb


def _start(engine: Engine) -> tuple[str, str, str]:
    engine.deploy(_chain().build())
    top = engine.start_process("p0")
    ids = {s.process_id: s.id for s in engine.instance_summaries()}
    return top, ids["p1"], ids["p2"]


def _state(engine: Engine, instance_id: str) -> ProcessState:
    return engine.instance(instance_id).state


def test_a_subflow_suspended_on_its_own_stays_suspended_when_its_caller_resumes(
    engine: Engine,
) -> None:
    top, mid, leaf = _start(engine)
    engine.suspend(mid, user="ops")  # takes leaf along
    engine.suspend(top)
    engine.resume(top)
    assert _state(engine, top) is RUNNING
    assert _state(engine, mid) is SUSPENDED and _state(engine, leaf) is SUSPENDED
    engine.resume(mid)  # its own resume continues it, and what it took along
    assert _state(engine, mid) is RUNNING and _state(engine, leaf) is RUNNING


def test_the_subflows_taken_along_resume_with_the_caller_and_say_who_took_them(
    engine: Engine,
) -> None:
    top, mid, leaf = _start(engine)
    engine.suspend(top, user="ops")
    assert _state(engine, mid) is SUSPENDED and _state(engine, leaf) is SUSPENDED
    engine.resume(top, user="ops")
    assert _state(engine, mid) is RUNNING and _state(engine, leaf) is RUNNING
    for instance_id in (mid, leaf):
        states = [e.payload for e in engine.audit(instance_id) if e.kind == "instance.state"]
        assert states[-2:] == [
            InstanceStateChanged(SUSPENDED.value, RUNNING.value, "ops", top),
            InstanceStateChanged(RUNNING.value, SUSPENDED.value, "ops", top),
        ]
    assert "by" not in engine.audit(top)[-1].detail  # asked of it: nobody took it along


def test_a_subflow_resumed_and_suspended_again_on_its_own_is_its_own(engine: Engine) -> None:
    top, mid, leaf = _start(engine)
    engine.suspend(top)  # mid and leaf taken along
    engine.resume(mid)  # an operator continues the subflow alone (and leaf with it)
    assert _state(engine, leaf) is RUNNING
    engine.suspend(mid)  # and pauses it again, on its own
    engine.resume(top)
    assert _state(engine, mid) is SUSPENDED and _state(engine, leaf) is SUSPENDED


def test_an_older_state_event_without_by_still_reads() -> None:
    detail = {"state": "open.running", "previous": "open.not_running.suspended", "user": None}
    assert InstanceStateChanged.of(detail) == InstanceStateChanged(
        "open.running", "open.not_running.suspended"
    )
    along = InstanceStateChanged("open.running", "open.not_running.suspended", None, "pi-1")
    assert InstanceStateChanged.of(along.detail()) == along
