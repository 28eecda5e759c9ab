"""Four eyes (``DoNotAssignToPerformerOfActivity``) on work someone holds: bob claimed (and
started) the check 'y', then completed 'x', the work 'y' checks. He may never complete 'y'
now, and while he held it nobody else could claim it: it sat in his worklist, for ever, and
nobody was told. The engine takes it from him as a re-offer takes work from someone who may
no longer have it: the item is withdrawn (``work_item.cancelled``, naming no user: the
engine did it; bob and those it was offered to hear it) and offered to the others as a new
item; when nobody else may have it, an incident (operation ``offer``) waits instead. A
started item held its sequential ad-hoc set: what waited for the set's turn runs then."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, WorkItemState
from wfengine.errors import IllegalStateError
from wfengine.runtime.instance import ActivityInstance, WorkItem
from wfengine.runtime.navigation.work import Work
from wfengine.runtime.reoffer import reoffer_work
from wfengine.runtime.work_rules import excluded_performers


def _deploy(e: Engine, y_performer: str = "clerk", *, confirm: bool = False) -> str:
    """Parallel: 'x' (clerks), and a sequential set holding the check 'y' (``y_performer``;
    never whoever did 'x') and 'stamp', an automatic step after a 30 minutes' timer."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    s = p.activity_set("checks", adhoc="Sequential")
    s.activity("y", performer=y_performer, extended={"DoNotAssignToPerformerOfActivity": "x"})
    s.intermediate("wait", timer="PT30M").activity("stamp", script="n = n + 1")
    s.transition("wait", "stamp")
    p.start("s")
    p.route("split", gateway="Parallel")
    x_rules = {"wfengine:delegation-confirm": "true"} if confirm else None
    p.activity("x", performer="clerk", extended=x_rules)
    p.block("review", activity_set="checks")
    p.route("join", gateway="Parallel")
    p.end("e")
    p.sequence("s", "split")
    p.transition("split", "x")
    p.transition("split", "review")
    p.transition("x", "join")
    p.transition("review", "join")
    p.sequence("join", "e")
    e.deploy(pb.build())
    return e.start_process("main")


def _items(e: Engine, iid: str) -> dict[str, str]:
    return {w.activity_id: w.id for w in e.work_items(iid)}


def _bob_started_y(e: Engine, iid: str) -> str:
    y = _items(e, iid)["y"]
    e.claim_work_item(y, "bob")
    e.start_work_item(y, "bob")
    assert isinstance(e.clock, VirtualClock)
    e.clock.advance(timedelta(hours=1))
    e.fire_due_timers()  # 'stamp' is ready, but bob's 'y' holds the set
    assert e.instance(iid).data["n"] == 0
    return y


def test_held_work_its_holder_may_no_longer_do_goes_to_the_others(org_engine: Engine) -> None:
    e = org_engine
    iid = _deploy(e)
    y = _bob_started_y(e, iid)
    e.complete_work_item(_items(e, iid)["x"], user="bob")

    assert e.work_item(y).state is WorkItemState.CANCELLED
    assert e.work_items_of("bob") == []
    [fresh] = e.work_items(iid)
    assert (fresh.activity_id, fresh.state, fresh.holder) == ("y", WorkItemState.OFFERED, None)
    assert fresh.assignees == ("alice",)
    assert e.instance(iid).data["n"] == 1  # 'stamp' took the set's turn 'y' held
    withdrawn = [ev for ev in e.audit(iid) if ev.kind == "work_item.cancelled"]
    assert [(ev.work_item_id, ev.user) for ev in withdrawn] == [(y, None)]
    with pytest.raises(IllegalStateError, match=r"it is cancelled"):
        e.complete_work_item(y, user="bob")
    e.claim_work_item(fresh.id, "alice")
    e.complete_work_item(fresh.id, user="alice")
    assert e.instance(iid).state.value == "closed.completed"


def test_nobody_else_may_have_it_an_offer_incident_waits(org_engine: Engine) -> None:
    e = org_engine
    iid = _deploy(e, y_performer="bob")  # 'y' is bob's alone
    y = _bob_started_y(e, iid)
    e.complete_work_item(_items(e, iid)["x"], user="bob")

    assert e.work_item(y).state is WorkItemState.CANCELLED
    assert e.work_items(iid) == []
    [incident] = e.incidents(iid)
    assert (incident.activity_id, incident.operation) == ("y", "offer")
    assert "'bob' performed 'x'" in incident.message
    assert e.instance(iid).data["n"] == 1  # nobody works on 'y': the set goes on


def test_a_delegate_who_wrote_the_work_loses_the_check_they_hold(org_engine: Engine) -> None:
    e = org_engine
    iid = _deploy(e, confirm=True)
    x = _items(e, iid)["x"]
    e.claim_work_item(x, "alice")
    e.delegate_work_item(x, "alice", "bob")
    y = _bob_started_y(e, iid)
    e.complete_work_item(x, user="bob")  # back to alice to confirm: bob wrote it

    assert e.work_item(x).holder == "alice"
    assert e.work_item(y).state is WorkItemState.CANCELLED
    assert e.work_items_of("bob") == []
    assert e.instance(iid).data["n"] == 1  # what waited for the set's turn ran


def test_the_trail_records_the_completion_before_what_four_eyes_took(
    org_engine: Engine,
) -> None:
    """bob's completion of 'x' comes first in the trail; the check taken from him because of
    it (withdrawn, offered to alice) and what its freed turn started follow it."""
    e = org_engine
    iid = _deploy(e)
    y = _bob_started_y(e, iid)
    x = _items(e, iid)["x"]
    seen = len(e.audit(iid))
    e.complete_work_item(x, user="bob")

    trail = [(ev.kind, ev.activity_id, ev.work_item_id) for ev in e.audit(iid)[seen:]]
    fresh = _items(e, iid)["y"]
    assert trail[:5] == [
        ("work_item.completed", "x", x),
        ("activity.started", "x", None),
        ("work_item.cancelled", "y", y),
        ("work_item.offered", "y", fresh),
        ("activity.started", "stamp", None),
    ]


def _as_engines_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """Four eyes as engines before this one did it: an item someone holds stays theirs (only
    its assignees lose them), whatever they did since."""
    drop = Work._drop_excluded

    def kept(self: Work, ai: ActivityInstance, item: WorkItem) -> bool:
        if item.holder is None:
            return drop(self, ai, item)
        excluded = excluded_performers(ai)
        item.assignees = tuple(u for u in item.assignees if u not in excluded)
        self.step.work_items.append(item)
        return True

    monkeypatch.setattr(Work, "_drop_excluded", kept)


def _stored_stuck(e: Engine, monkeypatch: pytest.MonkeyPatch, y_performer: str) -> tuple[str, str]:
    """An instance an engine before stored: bob started 'y', then completed 'x'; he still
    holds 'y' (which he may never complete), and 'stamp' waits for the set's turn."""
    iid = _deploy(e, y_performer)
    y = _bob_started_y(e, iid)
    with monkeypatch.context() as before:
        _as_engines_before(before)
        e.complete_work_item(_items(e, iid)["x"], user="bob")
    held = e.work_item(y)
    assert (held.state, held.holder) == (WorkItemState.STARTED, "bob")
    assert e.instance(iid).data["n"] == 0
    return iid, y


def test_a_reoffer_takes_what_an_engine_before_left_with_its_holder(
    org_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    e = org_engine
    iid, y = _stored_stuck(e, monkeypatch, "clerk")

    (done,) = reoffer_work(e)  # (``wfengine org load`` does it; the organisation is the same)
    assert (done.work_item_id, done.holder, done.assignees) == (y, "bob", ("alice",))
    assert e.work_item(y).state is WorkItemState.CANCELLED
    assert e.work_items_of("bob") == []
    [fresh] = e.work_items(iid)
    assert (fresh.id, fresh.state, fresh.assignees) == (
        done.replaced_by,
        WorkItemState.OFFERED,
        ("alice",),
    )
    assert e.instance(iid).data["n"] == 1  # 'stamp' took the set's turn 'y' held
    assert reoffer_work(e) == []  # nothing more to mend
    e.claim_work_item(fresh.id, "alice")
    e.complete_work_item(fresh.id, user="alice")
    assert e.instance(iid).state.value == "closed.completed"


def test_a_reoffer_opens_an_offer_incident_when_nobody_else_may_have_it(
    org_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    e = org_engine
    iid, y = _stored_stuck(e, monkeypatch, "bob")  # 'y' is bob's alone

    (done,) = reoffer_work(e)
    assert (done.work_item_id, done.replaced_by, done.holder) == (y, None, "bob")
    assert e.work_item(y).state is WorkItemState.CANCELLED
    assert e.work_items(iid) == []
    [incident] = e.incidents(iid)
    assert (incident.id, incident.activity_id, incident.operation) == (done.incident, "y", "offer")
    assert "'bob' performed 'x'" in incident.message  # as when his completion takes it
    assert e.instance(iid).data["n"] == 1  # nobody works on 'y': the set goes on
