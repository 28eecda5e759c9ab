"""In a sequential ad-hoc set (one activity at a time), a person's started work item holds the
set. When the organisation changes and ``reoffer_work`` withdraws that item (its holder left)
and offers a new one, nothing of the set is in progress any more: an activity that runs by
itself and waited for the set's turn runs in that very re-offer, as after a release."""

from __future__ import annotations

from datetime import timedelta

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, WorkItemState
from wfengine.runtime.reoffer import reoffer_work


def _advance(engine: Engine, **delta: float) -> None:
    assert isinstance(engine.clock, VirtualClock)
    engine.clock.advance(timedelta(**delta))
    engine.fire_due_timers()


def _states(engine: Engine, iid: str) -> dict[str, str]:
    return {a.activity_id: a.state.value for a in engine.activity_instances(iid)}


def _waiting(e: Engine) -> tuple[str, str]:
    """An instance whose 'stamp' (automatic) waits for its sequential set's turn while alice's
    started item 'note' holds the set: (instance, item)."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.application("inc", params=[("n", "INOUT", "INTEGER")])
    s = p.activity_set("checks", adhoc="Sequential")
    s.activity("note", performer="clerk")
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
    return iid, note.id


def _alice_left(e: Engine) -> None:
    e.directory = Organisation.from_data(
        {"users": [{"id": "bob", "roles": ["clerk"]}, {"id": "root"}], "admins": ["root"]}
    )


def test_reoffering_started_work_whose_holder_left_frees_the_sequential_sets_turn(
    org_engine: Engine,
) -> None:
    e = org_engine
    iid, note_id = _waiting(e)
    _alice_left(e)
    (done,) = reoffer_work(e)

    assert (done.work_item_id, done.holder, done.assignees) == (note_id, "alice", ("bob",))
    assert _states(e, iid)["stamp"] == "closed.completed"  # ran in the re-offer
    assert e.instance(iid).data["n"] == 1
    [item] = e.work_items(iid)
    assert (item.id, item.state) == (done.replaced_by, WorkItemState.OFFERED)
    e.claim_work_item(item.id, "bob")
    e.start_work_item(item.id, "bob")
    e.complete_work_item(item.id, user="bob")
    assert e.instance(iid).state.value == "closed.completed"


def test_a_suspended_instances_reoffer_starts_nothing(org_engine: Engine) -> None:
    e = org_engine
    iid, note_id = _waiting(e)
    e.suspend(iid)
    _alice_left(e)
    (done,) = reoffer_work(e)
    assert (done.work_item_id, done.assignees) == (note_id, ("bob",))
    assert _states(e, iid)["stamp"] == "open.not_running.not_started"
    assert e.instance(iid).data["n"] == 0
