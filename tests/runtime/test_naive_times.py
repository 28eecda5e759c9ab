"""A time that names no zone, from data or an application, is UTC wherever the engine waits
for it (as a ``TimeDate`` literal naming no zone is): the timer is set, and nothing naive
reaches a store's job queue (the memory store's queue compared it with aware times and every
later clock move raised)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.runtime.conftest import run
from wfengine import Engine, PackageBuilder, ProcessState, VirtualClock
from wfengine.runtime.instance import Timer
from wfengine.runtime.memory_store import MemoryStore
from wfengine.runtime.store import Step

NAIVE = datetime(2000, 1, 1, 12)  # the clock starts at 2000-01-01T00:00Z


def _deadline_from_an_application() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.application("plan", params=[("due", "OUT", "REFERENCE")])
    p = pb.process("main")
    p.data_field("due", "REFERENCE")
    p.start("s")
    p.activity("calc", tool="plan", args=["due"])
    p.activity("work", performer="clerk", deadlines=[("due", "Late")])
    p.activity("late")
    p.end("e")
    p.end("e2")
    p.sequence("s", "calc", "work", "e")
    p.transition("work", "late", exception="Late")
    p.sequence("late", "e2")
    return pb


def _other() -> PackageBuilder:
    pb = PackageBuilder("other")
    q = pb.process("other")
    q.start("s")
    q.intermediate("t", timer="PT1H")
    q.end("e")
    q.sequence("s", "t", "e")
    return pb


def test_a_deadline_an_application_gives_without_a_zone_is_due_then_in_utc(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.applications.register("plan", lambda: {"due": NAIVE})
    bystander = run(engine, _other(), "other")
    iid = run(engine, _deadline_from_an_application())
    [timer] = engine.timers(iid)
    assert timer.due == NAIVE.replace(tzinfo=UTC)
    clock.advance(timedelta(hours=12))
    assert "late" in engine.trace(iid)
    assert engine.instance(bystander).state is ProcessState.COMPLETED


def test_a_timer_event_whose_time_from_data_names_no_zone_waits_till_then_in_utc(
    engine: Engine, clock: VirtualClock
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("when", "REFERENCE")
    p.start("s")
    p.intermediate("pause", at="when")
    p.end("e")
    p.sequence("s", "pause", "e")
    iid = run(engine, pb, data={"when": NAIVE})
    [timer] = engine.timers(iid)
    assert timer.due == NAIVE.replace(tzinfo=UTC)
    clock.advance(timedelta(hours=11, minutes=59))
    assert engine.instance(iid).state is ProcessState.RUNNING
    clock.advance(timedelta(minutes=1))
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_the_memory_store_refuses_a_naive_due_time_before_storing_anything() -> None:
    store = MemoryStore()
    step = Step()
    step.timers_set.append(
        Timer(
            id="tm-1",
            due=NAIVE,
            instance_id="pi-1",
            activity_instance_id="ai-1",
            deadline_index=0,
            seq=1,
        )
    )
    with pytest.raises(ValueError, match="naive datetime"):
        store.commit(step)
    assert store.timers() == [] and store.next_due_at() is None
