"""A Standard loop's deadline is armed once, when the loop activity starts, and runs over all
its iterations: it is not armed again for each one.

Why (decided, docs/semantics.md "Deadlines"): XPDL 2.x takes ``LoopStandard`` from BPMN,
where a loop activity is one activity instance that wraps its iterations (BPMN 2.0.2,
13.3.6: "a wrapper for an inner Activity that can be executed multiple times in sequence");
what is attached to the activity belongs to the wrapper, as the engine's boundary timers do,
and a Deadline (XPDL's attached timer) agrees with them. The engine keeps one activity
instance per loop (``activity.iterated`` counts the rounds), and a synchronous deadline ends
that instance, the whole loop. A deadline per round is modelled with a cycle of transitions
(each pass a new activity instance, as in XPDL 1.0), or on an activity inside a block whose
block activity loops."""

from __future__ import annotations

from datetime import timedelta

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder, deadline, standard_loop
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ActivityState, ProcessState


def _looping(execution: str) -> PackageBuilder:
    """A person's ``check``, done three times (counter ``n``), with a one-hour deadline
    ``Late`` caught by ``warn``; ``done`` follows the loop."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.activity(
        "check",
        performer="clerk",
        loop=standard_loop("n < 3", counter="n"),
        deadlines=[deadline("PT1H", "Late", execution=execution)],
    )
    p.activity("done").activity("warn")
    p.transition("check", "done").transition("check", "warn", exception="Late")
    return pb


def _complete_round(engine: Engine, iid: str) -> None:
    (item,) = engine.work_items(iid)
    engine.complete_work_item(item.id, user="clerk")


def test_an_asynchronous_deadline_fires_once_an_hour_after_the_loop_began(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = run(engine, _looping("ASYNCHR"))
    clock.advance(timedelta(minutes=50))
    _complete_round(engine, iid)  # round 2 begins 50 minutes in: no deadline of its own
    clock.advance(timedelta(minutes=10))  # the loop's hour is up, in round 2
    assert [e.kind for e in engine.audit(iid)].count("deadline.fired") == 1
    assert engine.trace(iid) == ["check", "warn"]
    _complete_round(engine, iid)
    clock.advance(timedelta(hours=2))  # round 3, long past an hour: nothing fires again
    _complete_round(engine, iid)
    assert [e.kind for e in engine.audit(iid)].count("deadline.fired") == 1
    assert engine.trace(iid) == ["check", "warn", "check", "check", "done"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_synchronous_deadline_ends_the_whole_loop(engine: Engine, clock: VirtualClock) -> None:
    iid = run(engine, _looping("SYNCHR"))
    clock.advance(timedelta(minutes=50))
    _complete_round(engine, iid)
    clock.advance(timedelta(minutes=10))
    assert engine.work_items(iid) == []
    (check,) = [a for a in engine.activity_instances(iid) if a.activity_id == "check"]
    assert check.state is ActivityState.TERMINATED
    assert engine.trace(iid) == ["check", "warn"]
    assert engine.instance(iid).state is ProcessState.COMPLETED
