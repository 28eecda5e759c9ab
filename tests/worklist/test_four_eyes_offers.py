"""Four eyes (``DoNotAssignToPerformerOfActivity``) and who the work is offered to: an offer
that it leaves to no one is an incident (the work would wait for ever, offered to no one), and
someone who performs the excluded activity while the work waits is no longer offered it, nor
given it back to confirm."""

from __future__ import annotations

from datetime import timedelta

from wfengine import (
    Engine,
    Organisation,
    PackageBuilder,
    ProcessState,
    VirtualClock,
    WorkItemReturned,
    WorkItemState,
)

#: alice is the only clerk; carol supervises the clerks' unit
ONE_CLERK = {
    "users": [
        {"id": "alice", "roles": ["clerk"], "units": ["sales"]},
        {"id": "carol", "units": ["management"]},
        {"id": "root"},
    ],
    "units": [{"id": "management"}, {"id": "sales", "supervisor": "carol", "parent": "management"}],
    "admins": ["root"],
}

LATE = [("wfengine:reminder-after", "PT1H"), ("wfengine:escalate-after", "PT2H")]


def _write_then_check(e: Engine, *, parallel: bool = False, **extra: str) -> str:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.activity("write", performer="clerk")
    rule = [("DoNotAssignToPerformerOfActivity", "write"), *extra.items()]
    p.activity("check", performer="clerk", extended=rule + (LATE if not parallel else []))
    if parallel:
        p.route("split", gateway="Parallel").route("join", gateway="Parallel")
        p.sequence("split", "write", "join").sequence("split", "check", "join")
    else:
        p.transition("write", "check")
    e.deploy(pb.build())
    return e.start_process("p")


def test_four_eyes_that_leaves_no_one_is_an_incident_not_work_offered_to_nobody() -> None:
    directory = Organisation.from_data(ONE_CLERK)
    with Engine(clock=VirtualClock(), directory=directory) as e:
        iid = _write_then_check(e)
        (write,) = e.work_items(iid)
        e.complete_work_item(write.id, user="alice")  # the only clerk wrote it
        assert e.work_items(iid) == []
        (incident,) = e.incidents(iid)
        assert incident.activity_id == "check"
        assert "its work would be offered to no one" in incident.message
        assert "'alice' performed 'write'" in incident.message
        assert isinstance(e.clock, VirtualClock)
        e.clock.advance(timedelta(hours=3))  # no reminder or escalation to no one
        kinds = [ev.kind for ev in e.audit(iid)]
        assert "work_item.reminder" not in kinds and "work_item.escalated" not in kinds
        # the organisation gets another clerk: the retry offers the check to them
        bigger = {**ONE_CLERK, "users": [*ONE_CLERK["users"], {"id": "bob", "roles": ["clerk"]}]}
        e.directory = Organisation.from_data(bigger)
        e.retry_incident(incident.id)
        (check,) = e.work_items(iid)
        assert (check.activity_id, check.assignees) == ("check", ("bob",))


def _confirmed_after_write(e: Engine) -> tuple[str, str, str]:
    """alice claims the check and delegates it to dan (confirm on); then she writes."""
    iid = _write_then_check(e, parallel=True, **{"wfengine:delegation-confirm": "true"})
    write, check = sorted(e.work_items(iid), key=lambda w: w.activity_id != "write")
    e.claim_work_item(check.id, "alice")
    e.delegate_work_item(check.id, "alice", "dan")
    e.complete_work_item(write.id, user="alice")
    return iid, write.id, check.id


def test_a_delegates_work_is_confirmed_by_the_others_when_its_owner_may_no_longer(
    org_engine: Engine,
) -> None:
    """alice delegated the check to dan, then wrote: dan's finished work does not go back to
    her (she could neither start nor complete it) but is offered to bob to confirm."""
    e = org_engine
    iid, _, check_id = _confirmed_after_write(e)
    e.deliver_outbox()
    e.complete_work_item(check_id, user="dan")
    back = e.work_item(check_id)
    assert (back.state, back.holder, back.owner, back.assignees) == (
        WorkItemState.OFFERED,
        None,
        None,
        ("bob",),
    )
    assert WorkItemReturned(check_id, "dan", None) in [ev.payload for ev in e.audit(iid)]
    pending = [x for x in e.outbox.entries(instance_id=iid) if x.status.value == "pending"]
    assert [(x.kind, list(x.payload["assignees"])) for x in pending] == [
        ("work_item.offered", ["bob"])
    ]
    assert [w.id for w in e.work_items_of("alice")] == []
    e.complete_work_item(check_id, user="bob")
    assert e.instance(iid).state is ProcessState.COMPLETED


def test_a_delegates_work_nobody_else_may_confirm_is_an_incident() -> None:
    directory = Organisation.from_data(
        {**ONE_CLERK, "users": [*ONE_CLERK["users"], {"id": "dan", "roles": ["accountant"]}]}
    )
    with Engine(clock=VirtualClock(), directory=directory) as e:
        iid, _, check_id = _confirmed_after_write(e)
        e.complete_work_item(check_id, user="dan")
        assert e.work_item(check_id).state is WorkItemState.CANCELLED
        (incident,) = e.incidents(iid)
        assert (incident.activity_id, "offered to no one" in incident.message) == ("check", True)


def test_who_performs_the_excluded_step_is_no_longer_offered_the_check(
    org_engine: Engine,
) -> None:
    """The check was offered to alice and bob while the write was still open; alice writes:
    she may neither claim nor complete the check, so it leaves her worklist (on every store:
    a SQL store's worklist index writes an item offered to fewer people again)."""
    e = org_engine
    iid = _write_then_check(e, parallel=True)
    write, check = sorted(e.work_items(iid), key=lambda w: w.activity_id != "write")
    assert check.assignees == ("alice", "bob")
    e.complete_work_item(write.id, user="alice")
    assert e.work_item(check.id).assignees == ("bob",)
    assert [w.activity_id for w in e.work_items_of("bob")] == ["check"]
    assert [w.activity_id for w in e.work_items_of("alice")] == []
