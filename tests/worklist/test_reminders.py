"""Reminders and escalation of people's work, declared with ``wfengine:*`` extended
attributes: they fire at the right virtual times, are audited and told through the outbox,
and stop when the item completes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wfengine import DeployError, Engine, PackageBuilder, VirtualClock, WorkItemState
from wfengine.runtime.work_item_events import ReminderDue, WorkItemEscalated


def _deploy(engine: Engine, **attrs: str) -> str:
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk", extended=attrs)
    engine.deploy(pb.build())
    return engine.start_process("p")


def _events(engine: Engine, iid: str) -> list[object]:
    return [
        (e.at, e.payload)
        for e in engine.audit(iid)
        if isinstance(e.payload, ReminderDue | WorkItemEscalated)
    ]


def test_reminders_repeat_then_escalate_and_stop_with_the_work(org_engine: Engine) -> None:
    e = org_engine
    clock = e.clock
    assert isinstance(clock, VirtualClock)
    start = clock.now()
    told: list[tuple[str, object]] = []
    e.outbox.subscribe(
        lambda r: told.append((r.kind, r.payload.get("reminder") or r.payload.get("escalated_to"))),
        ["reminder.due", "work_item.escalated"],
    )
    iid = _deploy(
        e,
        **{
            "wfengine:reminder-after": "PT2H",
            "wfengine:reminder-every": "PT1H",
            "wfengine:escalate-after": "PT3H30M",
        },
    )
    (item,) = e.work_items(iid)
    clock.advance(timedelta(hours=1, minutes=59))
    assert _events(e, iid) == []
    clock.advance(timedelta(minutes=1))  # 2h: the first reminder
    clock.advance(timedelta(hours=1))  # 3h: the second
    clock.advance(timedelta(minutes=30))  # 3h30: escalated to carol, the clerks' supervisor
    assert _events(e, iid) == [
        (start + timedelta(hours=2), ReminderDue(item.id, 1)),
        (start + timedelta(hours=3), ReminderDue(item.id, 2)),
        (start + timedelta(hours=3, minutes=30), WorkItemEscalated(item.id, ("carol",))),
    ]
    assert e.work_item(item.id).assignees == ("alice", "bob", "carol")
    assert [w.id for w in e.work_items_of("carol")] == [item.id]  # on her worklist now
    e.complete_work_item(item.id, user="carol")
    clock.advance(timedelta(days=2))
    assert len(_events(e, iid)) == 3  # nothing after completion
    assert [j for j in e.jobs(iid)] == []
    e.deliver_outbox()
    assert told == [("reminder.due", 1), ("reminder.due", 2), ("work_item.escalated", ["carol"])]


def test_reminders_missed_while_suspended_are_one_reminder_not_a_burst(
    org_engine: Engine,
) -> None:
    e = org_engine
    clock = e.clock
    assert isinstance(clock, VirtualClock)
    start = clock.now()
    iid = _deploy(e, **{"wfengine:reminder-after": "PT1H", "wfengine:reminder-every": "PT1H"})
    (item,) = e.work_items(iid)
    clock.advance(timedelta(hours=1))  # the first reminder
    e.suspend(iid)
    clock.advance(timedelta(hours=10, minutes=30))  # ten more would have come meanwhile
    e.resume(iid)  # one now, for all of them
    e.fire_due_timers()
    clock.advance(timedelta(minutes=30))  # and on in the rhythm of the first
    assert _events(e, iid) == [
        (start + timedelta(hours=1), ReminderDue(item.id, 1)),
        (start + timedelta(hours=11, minutes=30), ReminderDue(item.id, 2)),
        (start + timedelta(hours=12), ReminderDue(item.id, 3)),
    ]


def test_escalation_to_a_named_participant(org_engine: Engine) -> None:
    e = org_engine
    iid = _deploy(e, **{"wfengine:escalate-after": "1 day", "wfengine:escalate-to": "accountant"})
    (item,) = e.work_items(iid)
    assert isinstance(e.clock, VirtualClock)
    e.clock.advance(timedelta(days=1))
    assert e.work_item(item.id).assignees == ("alice", "bob", "dan")


@pytest.mark.parametrize("declared_on", ["package", "process"])
def test_escalation_to_a_participant_found_by_its_name(
    org_engine: Engine, declared_on: str
) -> None:
    """A tool writes generated Participant Ids (``P_7``) and the role as the Name: escalating
    to it reaches the role's members, as naming it as a Performer does."""
    e = org_engine
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    (pb if declared_on == "package" else p).participant("P_7", name="accountant")
    late = {"wfengine:escalate-after": "1 day", "wfengine:escalate-to": "P_7"}
    p.activity("quote", performer="clerk", extended=late)
    e.deploy(pb.build())
    iid = e.start_process("p")
    (item,) = e.work_items(iid)
    assert isinstance(e.clock, VirtualClock)
    e.clock.advance(timedelta(days=1))
    assert e.work_item(item.id).assignees == ("alice", "bob", "dan")
    (escalated,) = [x.payload for x in e.audit(iid) if x.kind == "work_item.escalated"]
    assert escalated == WorkItemEscalated(item.id, ("dan",))


def test_an_escalated_held_item_goes_back_on_offer_so_they_can_take_it(
    org_engine: Engine,
) -> None:
    e = org_engine
    iid = _deploy(e, **{"wfengine:escalate-after": "PT1H", "wfengine:escalate-to": "accountant"})
    (item,) = e.work_items(iid)
    e.claim_work_item(item.id, "alice")
    e.start_work_item(item.id, "alice")
    e.delegate_work_item(item.id, "alice", "carol")
    assert isinstance(e.clock, VirtualClock)
    e.clock.advance(timedelta(hours=1))
    after = e.work_item(item.id)
    assert (after.state, after.holder, after.owner, after.started_at) == (
        WorkItemState.OFFERED,
        None,
        None,
        None,
    )
    assert after.assignees == ("alice", "bob", "dan", "carol")  # the delegate may take it back
    assert [w.id for w in e.work_items_of("dan")] == [item.id]
    (escalated,) = [ev.payload for ev in e.audit(iid) if ev.kind == "work_item.escalated"]
    assert escalated == WorkItemEscalated(item.id, ("dan",), taken_from="carol")
    e.claim_work_item(item.id, "dan")
    e.complete_work_item(item.id, user="dan")
    assert e.work_item(item.id).state is WorkItemState.COMPLETED


def _told(e: Engine) -> list[tuple[str, ...]]:
    """What the organisation's notifiers are asked to tell, (event, recipient...) each."""
    from wfengine import Organisation
    from wfengine.worklist import notifiers

    told: list[tuple[str, ...]] = []

    class Recorder:
        def notify(self, notification: notifiers.Notification, users: object) -> None:
            told.append((notification.event, *notification.recipients))

    assert isinstance(e.directory, Organisation)
    notifiers.subscribe(e.outbox.handlers, e.directory, [Recorder()])
    return told


def test_an_escalation_to_a_participant_with_no_members_goes_to_the_supervisors(
    org_engine: Engine,
) -> None:
    """``escalate-to`` naming no one (a typo, which validate warns of) is not an escalation
    to no one: the clerks' supervisor gets it, as when it names none."""
    e = org_engine
    told = _told(e)
    iid = _deploy(e, **{"wfengine:escalate-after": "PT1H", "wfengine:escalate-to": "managr"})
    (item,) = e.work_items(iid)
    assert isinstance(e.clock, VirtualClock)
    e.clock.advance(timedelta(hours=1))
    e.deliver_outbox()
    (escalated,) = [x.payload for x in e.audit(iid) if x.kind == "work_item.escalated"]
    assert escalated == WorkItemEscalated(item.id, ("carol",))
    assert [t for t in told if t[0] == "escalated"] == [("escalated", "carol")]
    assert e.work_item(item.id).assignees == ("alice", "bob", "carol")


def test_an_escalation_that_reaches_no_one_is_an_incident_not_an_escalation(
    org_engine: Engine,
) -> None:
    """dan's accounts unit has no supervisor and the participant has no members: nothing is
    audited as escalated, nobody is told, dan keeps the work, and an incident says why;
    completing the work resolves it."""
    e = org_engine
    told = _told(e)
    pb = PackageBuilder("pkg")
    late = {"wfengine:escalate-after": "PT1H", "wfengine:escalate-to": "nobody"}
    pb.process("p").activity("book", performer="accountant", extended=late)
    e.deploy(pb.build())
    iid = e.start_process("p")
    (item,) = e.work_items(iid)
    e.claim_work_item(item.id, "dan")
    assert isinstance(e.clock, VirtualClock)
    e.clock.advance(timedelta(hours=1))
    e.deliver_outbox()
    assert [x for x in e.audit(iid) if x.kind == "work_item.escalated"] == []
    assert [t for t in told if t[0] == "escalated"] == []
    held = e.work_item(item.id)
    assert (held.state, held.holder) == (WorkItemState.ALLOCATED, "dan")
    (incident,) = e.incidents(iid)
    assert incident.activity_id == "book"
    assert "its escalation reaches no one ('nobody' has no members" in incident.message
    e.complete_work_item(item.id, user="dan")
    assert e.incidents(iid) == []
    assert e.jobs(iid) == []


def test_an_escalation_that_takes_held_work_tells_what_a_release_tells(
    org_engine: Engine,
) -> None:
    """alice was working on it: she and bob hear it is on offer again (as after a release),
    carol that it was escalated to her (once)."""
    e = org_engine
    told = _told(e)
    iid = _deploy(e, **{"wfengine:escalate-after": "PT1H"})
    (item,) = e.work_items(iid)
    e.claim_work_item(item.id, "alice")
    e.start_work_item(item.id, "alice")
    e.deliver_outbox()
    told.clear()
    assert isinstance(e.clock, VirtualClock)
    e.clock.advance(timedelta(hours=1))
    e.deliver_outbox()
    assert told == [("escalated", "carol"), ("offered", "alice", "bob")]
    again = [x for x in e.outbox.entries(instance_id=iid) if x.kind == "work_item.offered"][-1]
    assert list(again.payload["assignees"]) == ["alice", "bob", "carol"]
    assert list(again.payload["escalated_to"]) == ["carol"]


def test_a_held_item_reminds_its_holder(org_engine: Engine) -> None:
    e = org_engine
    told = _told(e)
    iid = _deploy(e, **{"wfengine:reminder-after": "PT1H"})
    (item,) = e.work_items(iid)
    e.claim_work_item(item.id, "bob")
    assert isinstance(e.clock, VirtualClock)
    e.clock.advance(timedelta(hours=1))
    e.deliver_outbox()
    assert ("overdue", "bob") in told


@pytest.mark.parametrize("value", ["soon", "PT0S", "-PT1H"])
def test_a_duration_that_is_not_one_refuses_the_deploy(value: str) -> None:
    with Engine() as e, pytest.raises(DeployError, match="wfengine:reminder-every"):
        _deploy(e, **{"wfengine:reminder-every": value})
