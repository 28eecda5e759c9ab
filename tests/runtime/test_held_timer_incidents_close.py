"""A timer or reminder held back past the instance's timer budget (``RuntimeLimits.
max_timer_firings``) has an incident of its own (operation ``job``) that goes with its job:
when its activity closes or its work item completes, the incident is resolved.

Before, a second timer held back on an activity already held by the first's incident was
recorded naming no activity instance, and closing the activity resolved only the first; a
reminder held back in a loop's round stayed open (holding the activity) after the round's
item completed and its reminder job was gone."""

from __future__ import annotations

from datetime import timedelta

from tests.runtime.conftest import complete_all, run
from wfengine.definition.builder import PackageBuilder, deadline, standard_loop
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.limits import RuntimeLimits


def test_two_held_deadlines_name_their_activity_and_go_with_it(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.limits = RuntimeLimits(max_timer_firings=0)
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    d1 = deadline("PT1H", "Late1", execution="ASYNCHR")
    d2 = deadline("PT2H", "Late2", execution="ASYNCHR")
    p.start("s").activity("work", performer="clerk", deadlines=[d1, d2])
    p.activity("next", performer="clerk").end("e")
    p.activity("l1", script="").end("e1")
    p.activity("l2", script="").end("e2")
    p.transition("s", "work").transition("work", "next").transition("next", "e")
    p.transition("work", "l1", exception="Late1").transition("l1", "e1")
    p.transition("work", "l2", exception="Late2").transition("l2", "e2")
    iid = run(engine, pb)
    clock.advance(timedelta(hours=3))
    held = engine.incidents(iid)
    [work] = [a.id for a in engine.activity_instances(iid) if a.activity_id == "work"]
    assert [(i.operation, i.activity_instance_id) for i in held] == [("job", work)] * 2
    complete_all(engine, iid, "work")
    assert engine.incidents(iid) == []  # both went with their timers
    assert [j.kind for j in engine.jobs(iid)] == []
    assert [w.activity_id for w in engine.work_items(iid)] == ["next"]


def test_a_held_reminder_goes_with_its_rounds_completed_item(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.limits = RuntimeLimits(max_timer_firings=0)
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    rhythm = {"wfengine:reminder-after": "PT1M", "wfengine:reminder-every": "PT1M"}
    loop = standard_loop("n < 2", counter="n")
    p.activity("work", performer="clerk", extended=rhythm, loop=loop)
    iid = run(engine, pb)
    clock.advance(timedelta(minutes=2))
    (held,) = engine.incidents(iid)
    assert held.operation == "job" and held.activity_id == "work"
    complete_all(engine, iid, "work")  # round 1 done: its reminder ended with its item
    assert engine.incidents(iid) == []
    [item] = engine.work_items(iid)  # round 2, offered, reminded in its own rhythm
    assert [j.payload["work_item"] for j in engine.store.jobs(iid)] == [item.id]
