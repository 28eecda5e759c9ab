"""In a sequential ad-hoc set (one activity at a time), a person's started work item holds the
set. When ``reoffer_work`` withdraws that item into an incident (operation ``offer``: nobody
left in the organisation may have it), nobody works on the activity any more: it must not
hold the set, or the rest of the set waits for ever behind work nobody can do. What waited
for the set's turn runs in that re-offer, the set's other people's work may be done, and once
the incident is retried the activity's work is offered again and takes its turn as any
offered item does (when its person starts it)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.definition.build_arguments import standard_loop
from wfengine.errors import IllegalStateError
from wfengine.runtime.navigation import work
from wfengine.runtime.reoffer import reoffer_work

#: the organisation after every clerk left (dan, an accountant, stays)
_NO_CLERKS = {"users": [{"id": "dan", "roles": ["accountant"]}, {"id": "root"}], "admins": ["root"]}


def _states(engine: Engine, iid: str) -> dict[str, str]:
    return {a.activity_id: a.state.value for a in engine.activity_instances(iid)}


def _items(engine: Engine, iid: str) -> dict[str, str]:
    return {w.activity_id: w.id for w in engine.work_items(iid)}


def _set_with(e: Engine, *, four_eyes: bool = False) -> str:
    """An instance of a sequential set: 'a' (clerks; with ``four_eyes``, not whoever did 'x',
    which bob completes first), 'w' then the script 'b' (dan), and 'c' (dan)."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    s = p.activity_set("checks", adhoc="Sequential")
    if four_eyes:
        s.activity("x", performer="clerk")
        s.activity("a", performer="clerk", extended={"DoNotAssignToPerformerOfActivity": "x"})
        s.transition("x", "a")
    else:
        s.activity("a", performer="clerk")
    s.activity("w", performer="accountant")
    s.activity("b", script="n = n + 1")
    s.transition("w", "b")
    s.activity("c", performer="accountant")
    p.block("review", activity_set="checks")
    e.deploy(pb.build())
    iid = e.start_process("main")
    if four_eyes:
        e.complete_work_item(_items(e, iid)["x"], user="bob")  # 'a' is alice's alone now
    return iid


def _alice_started_a_and_the_clerks_left(e: Engine, iid: str) -> str:
    a = _items(e, iid)["a"]
    e.claim_work_item(a, "alice")
    e.start_work_item(a, "alice")
    with pytest.raises(IllegalStateError, match=r"'a' of its ad-hoc set is in progress"):
        e.complete_work_item(_items(e, iid)["w"], user="dan")
    e.directory = Organisation.from_data(_NO_CLERKS)
    (done,) = reoffer_work(e)
    assert (done.work_item_id, done.replaced_by, done.holder) == (a, None, "alice")
    assert done.incident is not None
    return done.incident


@pytest.mark.parametrize("four_eyes", [False, True], ids=["emptied-role", "four-eyes"])
def test_work_withdrawn_into_an_offer_incident_holds_the_set_no_more(
    org_engine: Engine, four_eyes: bool
) -> None:
    e = org_engine
    iid = _set_with(e, four_eyes=four_eyes)
    _alice_started_a_and_the_clerks_left(e, iid)
    assert "a" not in _items(e, iid)
    e.complete_work_item(_items(e, iid)["w"], user="dan")  # refused before: 'a' held the set
    assert _states(e, iid)["b"] == "closed.completed"  # what followed 'w' ran
    assert e.instance(iid).data["n"] == 1


def test_the_retried_offer_takes_its_turn_as_an_offered_item_does(org_engine: Engine) -> None:
    e = org_engine
    iid = _set_with(e)
    incident = _alice_started_a_and_the_clerks_left(e, iid)
    e.directory = Organisation.from_data(
        {"users": [{"id": "bob", "roles": ["clerk"]}, *_NO_CLERKS["users"]], "admins": ["root"]}
    )
    e.retry_incident(incident)
    a = _items(e, iid)["a"]  # on offer to bob: it holds nothing yet
    e.claim_work_item(a, "bob")
    e.start_work_item(a, "bob")  # now it holds the set
    c = _items(e, iid)["c"]
    e.claim_work_item(c, "dan")
    with pytest.raises(IllegalStateError, match=r"'a' of its ad-hoc set is in progress"):
        e.start_work_item(c, "dan")
    e.complete_work_item(a, user="bob")
    e.start_work_item(c, "dan")
    e.complete_work_item(c, user="dan")


def test_what_waited_for_the_turn_runs_in_the_reoffer(org_engine: Engine) -> None:
    e = org_engine
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    s = p.activity_set("checks", adhoc="Sequential")
    s.activity("note", performer="clerk")
    s.intermediate("wait", timer="PT30M").activity("stamp", script="n = n + 1")
    s.transition("wait", "stamp")
    p.block("review", activity_set="checks")
    e.deploy(pb.build())
    iid = e.start_process("main")
    [note] = e.work_items(iid)
    e.claim_work_item(note.id, "alice")
    e.start_work_item(note.id, "alice")
    assert isinstance(e.clock, VirtualClock)
    e.clock.advance(timedelta(hours=1))
    e.fire_due_timers()  # 'stamp' is ready, but 'note' holds the set
    assert _states(e, iid)["stamp"] == "open.not_running.not_started"
    e.directory = Organisation.from_data(_NO_CLERKS)
    (done,) = reoffer_work(e)
    assert (done.work_item_id, done.replaced_by, done.holder) == (note.id, None, "alice")
    assert _states(e, iid)["stamp"] == "closed.completed"  # ran in the re-offer
    assert e.instance(iid).data["n"] == 1
    assert e.work_items(iid) == []


@pytest.mark.parametrize("opened_as", ["offer", "run"], ids=["offer", "older-engine-run"])
def test_a_loop_round_waiting_for_an_offer_incident_holds_the_set_no_more(
    org_engine: Engine, monkeypatch: pytest.MonkeyPatch, opened_as: str
) -> None:
    """bob's 'y' loops, but no round may go to whoever did 'y' before: its next round is
    offered to no one (an incident). The activity names the round bob completed, which must
    not count as work in progress: 'stamp', whose timer fires later, runs. An engine before
    offers had an operation of their own opened the incident as ``run``: the same."""
    e = org_engine
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.data_field("r", "INTEGER", initial="0")
    s = p.activity_set("checks", adhoc="Sequential")
    s.activity(
        "y",
        performer="bob",
        writes=["r"],
        loop=standard_loop("r < 2"),
        extended={"DoNotAssignToPerformerOfActivity": "y"},
    )
    s.intermediate("wait", timer="PT30M").activity("stamp", script="n = n + 1")
    s.transition("wait", "stamp")
    p.block("review", activity_set="checks")
    e.deploy(pb.build())
    iid = e.start_process("main")
    y = _items(e, iid)["y"]
    e.claim_work_item(y, "bob")
    e.start_work_item(y, "bob")
    with monkeypatch.context() as old:
        old.setattr(work, "OFFER", opened_as)
        e.complete_work_item(y, {"r": 1}, user="bob")
    [incident] = e.incidents(iid)
    assert (incident.activity_id, incident.operation) == ("y", opened_as)
    assert isinstance(e.clock, VirtualClock)
    e.clock.advance(timedelta(hours=1))
    e.fire_due_timers()
    assert _states(e, iid)["stamp"] == "closed.completed"  # waited for ever before
    assert e.instance(iid).data["n"] == 1
