"""Work sent back to a start event starts its scope over from there (docs/semantics.md,
"Sending work back"): the start event begins and completes again at once, whatever its
trigger (the instance has begun: a Timer start's timer, a Message start's message is not
waited for again), with the data as it is now, and what it leads to is offered as new work
to its performers. Only the target's own work goes to whoever did it last: a start event has
none, so to give the first task back to its performer, name that task. (The CRM example's
coordinator sends a case back to its intake this way:
tests/examples/test_crm_number_told_once.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock

#: the start event's trigger, and how the builder declares it
TRIGGERS = {
    "None": {},
    "Timer": {"timer": "PT1H"},
    "Message": {"message": "go"},
    "Signal": {"signal": "go"},
}


def _started(trigger: str) -> tuple[Engine, VirtualClock, str]:
    """s (``trigger``) -> a1 -> a2: a1 done by alice (x = 1), a2 held by bob."""
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("x", "INTEGER", initial="0")
    p.start("s", trigger=trigger, **TRIGGERS[trigger])
    p.activity("a1", performer="clerk", writes=["x"]).activity("a2", performer="clerk")
    p.end("e").sequence("s", "a1", "a2", "e")
    clock = VirtualClock()
    engine = Engine(clock=clock, directory=Organisation.from_data(ORG))
    engine.deploy(pb.build())
    if trigger == "Message":
        iid = engine.start_by_message("go")
    elif trigger == "Signal":
        engine.broadcast_signal("go")
        [iid] = [i.id for i in engine.instance_summaries()]
    else:
        iid = engine.start_process("p")
    clock.advance(timedelta(hours=2))  # (a Timer start's timer is due in one)
    [a1] = engine.work_items(iid)
    engine.complete_work_item(a1.id, {"x": 1}, user="alice")
    [a2] = engine.work_items(iid)
    engine.claim_work_item(a2.id, "bob")
    return engine, clock, iid


@pytest.mark.parametrize("trigger", list(TRIGGERS))
def test_sent_back_to_its_start_event_the_instance_starts_over(trigger: str) -> None:
    engine, clock, iid = _started(trigger)
    [a2] = engine.work_items(iid)
    engine.send_back_work_item(a2.id, "bob", "s", "start over")
    clock.advance(timedelta(days=1))  # (nothing is waited for: no timer was set)
    assert engine.timers(iid) == [] and engine.incidents(iid) == []
    [again] = [w for w in engine.work_items(iid) if w.state.is_open]
    # a1 offered as new work to its performers (the clerks), not given back to alice
    assert (again.activity_id, again.holder) == ("a1", None)
    assert "alice" in again.assignees and len(again.assignees) > 1
    assert engine.instance(iid).data["x"] == 1  # the data as it is now
    assert [e.activity_id for e in engine.audit(iid) if e.kind == "activity.started"][-1:] == ["s"]
    engine.close()


def test_to_give_the_first_task_back_to_its_performer_name_it() -> None:
    engine, _, iid = _started("Timer")
    [a2] = engine.work_items(iid)
    engine.send_back_work_item(a2.id, "bob", "a1", "start over")
    [again] = [w for w in engine.work_items(iid) if w.state.is_open]
    assert (again.activity_id, again.holder) == ("a1", "alice")
    engine.close()
