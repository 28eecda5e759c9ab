"""Who a work item goes to beyond its performers' members: performers evaluated at run time
(a data field naming the department a coordinator chose) and the Shark/JaWE assignment
extended attributes; which data a work item may read and write; delegated work coming back
to its owner to confirm."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.worklist.conftest import ORG
from wfengine import (
    Engine,
    NotAuthorizedError,
    NotFoundError,
    Organisation,
    PackageBuilder,
    ProcessState,
    VirtualClock,
    WorkItemReturned,
    WorkItemState,
    load_xpdl,
)

CONFORMANCE = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "xpdl"


def _engine() -> Engine:
    return Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG))


def _routed(engine: Engine) -> None:
    """A coordinator writes the department; the next step is performed by it."""
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("department", "STRING")
    p.activity("route", performer="manager", writes=["department"])
    p.activity("handle", performer="department")
    p.transition("route", "handle")
    engine.deploy(pb.build())


def test_a_performer_field_names_the_department_chosen_at_run_time(org_engine: Engine) -> None:
    e = org_engine
    _routed(e)
    iid = e.start_process("p")
    (route,) = e.work_items(iid)
    e.complete_work_item(route.id, {"department": "accounts"}, user="carol")
    (handle,) = e.work_items(iid)
    assert handle.assignees == ("dan",)  # the accounts unit's members
    assert handle.performers == ("department",)


def test_a_performer_value_may_name_several_and_a_bad_one_is_an_incident() -> None:
    with _engine() as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.data_field("teams", "STRING", is_array=True)
        p.activity("handle", performer="teams + ['accountant']")
        e.deploy(pb.build())
        iid = e.start_process("p", {"teams": ["sales"]})
        (item,) = e.work_items(iid)
        assert item.assignees == ("alice", "bob", "dan")
        bad = e.create_instance("p")
        e.set_data(bad, {"teams": [3]})  # the host's own, unchecked way
        e.start(bad)
        assert e.work_items(bad) == []
        (incident,) = e.incidents(bad)
        assert "performer \"teams + ['accountant']\" of activity 'handle' is [3, 'accountant']" in (
            incident.message
        )
        e.set_data(bad, {"teams": ["management"]})
        e.retry_incident(incident.id)
        (item,) = e.work_items(bad)
        assert item.assignees == ("alice", "bob", "carol", "dan")  # sales is under management


def test_a_performer_value_that_reaches_nobody_is_an_incident(org_engine: Engine) -> None:
    """A department typed at run time that the organisation does not have (a typo, a
    category that is no unit) would leave the work offered to no one, waiting for ever."""
    e = org_engine
    _routed(e)
    iid = e.start_process("p")
    (route,) = e.work_items(iid)
    e.complete_work_item(route.id, {"department": "Accounts dept"}, user="carol")
    assert e.work_items(iid) == []
    (incident,) = e.incidents(iid)
    assert incident.activity_id == "handle"
    assert "is 'Accounts dept', which names no participant, role, unit or user" in (
        incident.message
    )
    e.set_data(iid, {"department": "accounts"})
    e.retry_incident(incident.id)
    (handle,) = e.work_items(iid)
    assert handle.assignees == ("dan",)


def test_an_undeclared_plain_name_stays_a_name() -> None:
    with Engine() as e:  # no directory: a performer is who it names
        pb = PackageBuilder("pkg")
        pb.process("p").activity("a", performer="DBConnection and Shipper")
        e.deploy(pb.build())
        (item,) = e.work_items(e.start_process("p"))
        assert item.assignees == ("DBConnection and Shipper",)


def _four_eyes(engine: Engine, **attrs: str) -> str:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.activity("write", performer="clerk")
    p.activity("check", performer="clerk", extended=list(attrs.items()))
    p.transition("write", "check")
    engine.deploy(pb.build())
    iid = engine.start_process("p")
    (write,) = engine.work_items(iid)
    engine.complete_work_item(write.id, user="bob")
    return iid


def test_do_not_assign_to_the_performer_of_an_earlier_activity(org_engine: Engine) -> None:
    iid = _four_eyes(org_engine, DoNotAssignToPerformerOfActivity="write")
    (check,) = org_engine.work_items(iid)
    assert (check.state, check.assignees) == (WorkItemState.OFFERED, ("alice",))
    with pytest.raises(NotAuthorizedError):
        org_engine.claim_work_item(check.id, "bob")


def test_four_eyes_holds_however_the_work_would_reach_its_excluded_performer(
    org_engine: Engine,
) -> None:
    """Delegating, reassigning and escalating never give the check to whoever wrote, nor
    may they (an administrator neither) claim, start or complete it; each refusal is audited
    and changes nothing."""
    e = org_engine
    iid = _four_eyes(e, DoNotAssignToPerformerOfActivity="write")
    (check,) = e.work_items(iid)
    e.claim_work_item(check.id, "alice")
    rule = r"'bob' performed activity 'write', and activity 'check' may not go to its performer"
    with pytest.raises(NotAuthorizedError, match=rule):
        e.delegate_work_item(check.id, "alice", "bob")
    with pytest.raises(NotAuthorizedError, match=rule):
        e.reassign_work_item(check.id, "carol", "bob")  # bob's supervisor
    with pytest.raises(NotAuthorizedError, match=rule):
        e.reassign_work_item(check.id, "root", "bob")
    with pytest.raises(NotAuthorizedError, match=rule):
        e.complete_work_item(check.id, user="bob")
    e.release_work_item(check.id, "alice")
    with pytest.raises(NotAuthorizedError, match=rule):
        e.claim_work_item(check.id, "bob")
    after = e.work_item(check.id)
    assert (after.state, after.holder, after.assignees) == (WorkItemState.OFFERED, None, ("alice",))
    refusals = [ev for ev in e.audit(iid) if ev.kind == "operation.refused"]
    assert [r.user for r in refusals] == ["alice", "carol", "root", "bob", "bob"]
    e.reassign_work_item(check.id, "carol", "alice")  # anyone else may have it
    e.complete_work_item(check.id, user="alice")
    assert e.instance(iid).state is ProcessState.COMPLETED
    # an administrator who did the first step may not do the check either
    pb = PackageBuilder("pkg2")
    p = pb.process("p2")
    p.activity("write", performer="clerk")
    p.activity("check", performer="clerk", extended=[("DoNotAssignToPerformerOfActivity", "write")])
    p.transition("write", "check")
    e.deploy(pb.build())
    second = e.start_process("p2")
    (write,) = e.work_items(second)
    e.complete_work_item(write.id, user="root")
    (check,) = e.work_items(second)
    for refused in (e.claim_work_item, e.start_work_item):
        with pytest.raises(NotAuthorizedError, match="'root' performed activity 'write'"):
            refused(check.id, "root")


def test_a_delegate_releasing_work_its_owner_may_no_longer_do_offers_it_to_the_others(
    org_engine: Engine,
) -> None:
    """alice holds the check and delegates it to dan; meanwhile she does the step it must
    not go to the performer of: dan's release offers it to those still allowed, not her."""
    e = org_engine
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.route("split", gateway="Parallel").route("join", gateway="Parallel")
    p.activity("write", performer="clerk")
    p.activity("check", performer="clerk", extended=[("DoNotAssignToPerformerOfActivity", "write")])
    p.sequence("split", "write", "join").sequence("split", "check", "join")
    e.deploy(pb.build())
    iid = e.start_process("p")
    write, check = sorted(e.work_items(iid), key=lambda w: w.activity_id != "write")
    e.claim_work_item(check.id, "alice")
    e.delegate_work_item(check.id, "alice", "dan")
    e.complete_work_item(write.id, user="alice")
    e.deliver_outbox()
    e.release_work_item(check.id, "dan")
    after = e.work_item(check.id)
    assert (after.state, after.holder, after.owner) == (WorkItemState.OFFERED, None, None)
    assert after.assignees == ("bob",)
    [told] = [x for x in e.outbox.entries(instance_id=iid) if x.status.value == "pending"]
    assert (told.kind, list(told.payload["assignees"])) == ("work_item.offered", ["bob"])
    e.complete_work_item(check.id, user="bob")
    assert e.instance(iid).state is ProcessState.COMPLETED


def test_an_escalation_leaves_out_the_performer_it_must_not_reach() -> None:
    with _engine() as e:
        iid = _four_eyes(
            e,
            DoNotAssignToPerformerOfActivity="write",
            **{"wfengine:escalate-after": "PT1H", "wfengine:escalate-to": "clerk"},
        )
        (check,) = e.work_items(iid)
        e.claim_work_item(check.id, "alice")
        e.release_work_item(check.id, "alice")
        assert isinstance(e.clock, VirtualClock)
        e.clock.advance(timedelta(hours=2))
        e.fire_due_timers()  # (a virtual clock fires what falls due as it advances)
        # the clerks it may go to (alice) have it already: to their supervisor instead
        assert e.work_item(check.id).assignees == ("alice", "carol")
        (escalated,) = [ev for ev in e.audit(iid) if ev.kind == "work_item.escalated"]
        assert "bob" not in repr(escalated.detail)


def test_assign_to_the_performer_of_an_earlier_activity() -> None:
    with _engine() as e:
        iid = _four_eyes(e, AssignToPerformerOfActivity="write")
        (check,) = e.work_items(iid)
        assert (check.state, check.holder, check.assignees) == (
            WorkItemState.ALLOCATED,
            "bob",
            ("bob",),
        )
        told = [x.kind for x in e.outbox.entries() if x.payload.get("work_item_id") == check.id]
        assert told == ["work_item.assigned"]  # to bob alone, not offered to every clerk


def test_an_assignment_rule_naming_no_activity_refuses_the_deploy() -> None:
    with _engine() as e, pytest.raises(Exception, match=r"performer-activity: .*'nowhere'"):
        _four_eyes(e, AssignToPerformerOfActivity="nowhere")


def test_work_that_runs_again_goes_to_its_original_performer() -> None:
    with _engine() as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.data_field("again", "BOOLEAN", initial="true")
        p.activity("begin")
        p.activity("edit", performer="clerk", writes=["again"], join="Exclusive")
        p.activity(
            "review",
            performer="clerk",
            extended={"ReassignToOriginalPerformer": ""},
            split="Exclusive",
        )
        p.activity("done")
        p.transition("begin", "edit").transition("edit", "review")
        p.transition("review", "edit", condition="again")
        p.transition("review", "done", otherwise=True)
        e.deploy(pb.build())
        iid = e.start_process("p")
        (edit,) = e.work_items(iid)
        e.complete_work_item(edit.id, user="alice")
        (review,) = e.work_items(iid)
        assert review.state is WorkItemState.OFFERED  # the first time: to every clerk
        e.complete_work_item(review.id, user="bob")
        (edit,) = e.work_items(iid)
        e.complete_work_item(edit.id, {"again": False}, user="alice")
        (review,) = e.work_items(iid)
        assert (review.state, review.holder) == (WorkItemState.ALLOCATED, "bob")
        e.complete_work_item(review.id, user="bob")
        assert e.instance(iid).state is ProcessState.COMPLETED


def test_manager_of_previous_offers_to_the_supervisors_of_who_did_the_last_step() -> None:
    with _engine() as e:
        iid = _four_eyes(e, MANAGER_OF_PREVIOUS="")
        (check,) = e.work_items(iid)
        assert check.assignees == ("carol",)  # bob's unit, sales, is supervised by carol


def test_the_performer_survives_the_store(org_engine: Engine) -> None:
    """Who completed an activity is kept with the instance (a SQL store reads it back in a
    later command), so a rule met days later still finds them."""
    iid = _four_eyes(org_engine, AssignToPerformerOfActivity="write")
    (check,) = org_engine.work_items(iid)
    assert check.holder == "bob"


# ------------------------------------------------------------------------ data access


def _access(engine: Engine, **options: list[str]) -> str:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.activity("quote", performer="clerk", **options)  # type: ignore[arg-type]
    engine.deploy(pb.build())
    return engine.start_process("p", {"price": 1, "cost": 0, "note": "x"})


def test_a_completion_may_write_only_what_its_activity_declares(org_engine: Engine) -> None:
    e = org_engine
    iid = _access(e, writes=["price"])
    (item,) = e.work_items(iid)
    with pytest.raises(NotAuthorizedError, match=r"may not write 'cost' \(.*write 'price'\)"):
        e.complete_work_item(item.id, {"price": 2, "cost": 9}, user="alice")
    assert e.instance(iid).data["cost"] == 0 and e.work_item(item.id).state.is_open
    assert [x.kind for x in e.audit(iid)][-1] == "operation.refused"
    e.complete_work_item(item.id, {"price": 2}, user="alice")
    assert e.instance(iid).data["price"] == 2


def test_without_declarations_a_person_writes_nothing_and_the_host_anything() -> None:
    with _engine() as e:
        iid = _access(e)
        (item,) = e.work_items(iid)
        with pytest.raises(NotAuthorizedError, match="lets it write no data"):
            e.complete_work_item(item.id, {"price": 2}, user="alice")
        e.complete_work_item(item.id, {"price": 3, "anything": 1})  # the host's own code
        assert e.instance(iid).data["anything"] == 1
        other = e.work_items(_access(e))[0]
        # an administrator writes what the process declares: price it does not
        with pytest.raises(NotFoundError, match=r"no data field 'price'.*declares none"):
            e.complete_work_item(other.id, {"price": 4}, user="root")
        e.complete_work_item(other.id, {"price": 4}, user="root", allow_undeclared=True)


def test_work_item_data_shows_what_it_may_read() -> None:
    with _engine() as e:
        item = e.work_items(_access(e, reads=["note"], writes=["price"]))[0]
        seen = e.work_item_data(item.id)
        assert (seen.values, seen.writable) == ({"price": 1, "note": "x"}, ("price",))
        everything = e.work_item_data(e.work_items(_access(e))[0].id)
        assert everything.values == {"price": 1, "cost": 0, "note": "x"}
        assert everything.writable == ()


def test_jawe_variable_to_process_attributes_are_read() -> None:
    path = CONFORMANCE / "jawe" / "xpdl2.1" / "RealLife_document_approval.xpdl"
    if not path.exists():
        pytest.skip(f"the conformance corpus is not beside the project ({path})")
    package = load_xpdl(path)
    with Engine() as e:
        e.deploy(package)
        found = {
            a.id: (a.access, a.assignment)
            for process in package.workflow_processes
            for a in e.deployed(process.id).compiled.graph.activities
            if a.assignment is not None or (a.access is not None and a.access.writes)
        }
    access, rule = found["final_review_document"]
    assert access.writes == frozenset({"approvedByPublisher", "publisherComment"})
    assert rule.original_performer
    assert found["submit_document"][1].to_performer_of == "create_document"


# ------------------------------------------------------------------- delegation confirm


def test_delegated_work_comes_back_to_its_owner_to_confirm(org_engine: Engine) -> None:
    e = org_engine
    iid, item_id = _delegated_to_bob(e)
    e.complete_work_item(item_id, {"price": 7}, user="bob")
    back = e.work_item(item_id)
    assert (back.state, back.holder, back.owner) == (WorkItemState.ALLOCATED, "alice", None)
    assert e.instance(iid).data["price"] == 7
    returned = WorkItemReturned(item_id, "bob", "alice", {"price": 7})
    assert returned in [x.payload for x in e.audit(iid)]
    e.complete_work_item(item_id, user="alice")
    assert e.instance(iid).state is ProcessState.COMPLETED


def _delegated_to_bob(e: Engine) -> tuple[str, str]:
    """An item of a delegation-confirm activity, claimed by alice and delegated to bob."""
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("price", "INTEGER")
    p.data_field("pin", "STRING", extended={"wfengine:sensitive": "true"})
    p.data_field("notes", "STRING")
    p.activity(
        "quote",
        performer="clerk",
        writes=["price", "pin", "notes"],
        extended={"wfengine:delegation-confirm": "true"},
    )
    e.deploy(pb.build())
    iid = e.start_process("p")
    (item,) = e.work_items(iid)
    e.claim_work_item(item.id, "alice")
    e.delegate_work_item(item.id, "alice", "bob")
    return iid, item.id


def test_what_a_delegate_writes_is_in_the_audit_with_sensitive_fields_masked(
    org_engine: Engine,
) -> None:
    e = org_engine
    iid, wid = _delegated_to_bob(e)
    e.complete_work_item(wid, {"price": 9999, "pin": "4711", "notes": "x" * 5000}, user="bob")
    (returned,) = [x for x in e.audit(iid) if x.kind == "work_item.returned"]
    assert returned.user == "bob"
    assert returned.payload.data["price"] == 9999
    assert returned.payload.data["pin"] == "***"
    assert len(returned.payload.data["notes"]) < 5000  # clipped, as a completion's values
    assert "4711" not in repr([x.payload for x in e.audit(iid)])
    assert e.instance(iid).data["pin"] == "4711"


def test_an_administrator_completing_delegated_work_is_the_one_the_trail_names(
    org_engine: Engine,
) -> None:
    e = org_engine
    iid, wid = _delegated_to_bob(e)
    e.complete_work_item(wid, {"price": 5}, user="root")
    (returned,) = [x for x in e.audit(iid) if x.kind == "work_item.returned"]
    assert returned.payload == WorkItemReturned(wid, "root", "alice", {"price": 5})


def test_data_a_delegate_returns_is_the_instances_own_copy() -> None:
    with _engine() as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.activity("quote", performer="clerk", extended={"wfengine:delegation-confirm": "true"})
        e.deploy(pb.build())
        iid = e.start_process("p")
        (item,) = e.work_items(iid)
        e.claim_work_item(item.id, "alice")
        e.delegate_work_item(item.id, "alice", "bob")
        lines = ["a"]
        e.complete_work_item(item.id, {"lines": lines}, user="root", allow_undeclared=True)
        lines.append("changed by the caller afterwards")
        assert e.instance(iid).data["lines"] == ["a"]
