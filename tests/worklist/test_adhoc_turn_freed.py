"""In a sequential ad-hoc set (one activity at a time), a person's started work item holds the
set; an activity that runs by itself and became ready meanwhile waits for its turn. When the
item stops being started without closing (released, delegated, reassigned, escalated back on
offer) the set is free, and what waited runs in that very command, as after a completion (it
used to wait for the set's next close)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from wfengine import Engine, PackageBuilder, ProcessState, VirtualClock

#: what frees the set: each a work-item command on the started item 'note' (alice's), or
#: its escalation coming due
FREEING: dict[str, Callable[[Engine, str], None]] = {
    "release": lambda e, item: e.release_work_item(item, "alice"),
    "delegate": lambda e, item: e.delegate_work_item(item, "alice", "bob"),
    "reassign": lambda e, item: e.reassign_work_item(item, "root", "bob"),
    "escalation": lambda e, item: _advance(e, hours=2),
}


def _advance(engine: Engine, **delta: float) -> None:
    assert isinstance(engine.clock, VirtualClock)
    engine.clock.advance(timedelta(**delta))
    engine.fire_due_timers()


def _states(engine: Engine, iid: str) -> dict[str, str]:
    return {a.activity_id: a.state.value for a in engine.activity_instances(iid)}


@pytest.mark.parametrize("freeing", list(FREEING))
def test_what_waits_for_a_sequential_sets_turn_runs_as_soon_as_started_work_stops(
    org_engine: Engine, freeing: str
) -> None:
    e = org_engine
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.application("inc", params=[("n", "INOUT", "INTEGER")])
    s = p.activity_set("checks", adhoc="Sequential")
    late = {"wfengine:escalate-after": "PT2H", "wfengine:escalate-to": "clerk"}
    s.activity("note", performer="clerk", extended=late)
    s.intermediate("wait", timer="PT30M").activity("stamp", tool="inc", args=["n"])
    s.transition("wait", "stamp")
    p.block("review", activity_set="checks")
    e.applications.register("inc", lambda n: {"n": n + 1})
    e.deploy(pb.build())
    iid = e.start_process("main")
    [note] = e.work_items(iid)
    e.claim_work_item(note.id, "alice")
    e.start_work_item(note.id, "alice")
    _advance(e, hours=1)  # the timer fires: 'stamp' is ready, but 'note' holds the set
    assert _states(e, iid)["stamp"] == "open.not_running.not_started"
    assert e.instance(iid).data["n"] == 0

    FREEING[freeing](e, note.id)

    assert _states(e, iid)["stamp"] == "closed.completed"  # ran in that command
    assert e.instance(iid).data["n"] == 1
    kinds = [ev.kind for ev in e.audit(iid) if ev.activity_id in ("note", "stamp")]
    stopped = {"release": "released", "delegate": "delegated", "reassign": "reassigned"}
    gone = f"work_item.{stopped.get(freeing, 'escalated')}"
    assert kinds[kinds.index(gone) + 1 :][:1] == ["activity.started"]  # 'stamp', at once
    holder = "alice" if freeing == "release" else "bob"
    [item] = e.work_items(iid)
    if freeing in ("release", "escalation"):
        e.claim_work_item(item.id, holder)
    e.start_work_item(item.id, holder)
    e.complete_work_item(item.id, user=holder)
    assert e.instance(iid).state is ProcessState.COMPLETED
