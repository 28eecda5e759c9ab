"""A new organisation offers the open work afresh (``reoffer_work``, which ``wfengine org load``
runs): work offered to or held by people who left, or whose performer now resolves to other
people, goes to the performer's members under the new organisation; the rest stays as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import (
    Engine,
    IllegalStateError,
    NotAuthorizedError,
    Organisation,
    PackageBuilder,
    VirtualClock,
    WorkItemState,
)
from wfengine.runtime.reoffer import reoffer_work

#: carol manages; she leaves and mia takes her role and her units
BEFORE: dict[str, Any] = {
    "users": [
        {"id": "alice", "roles": ["clerk"], "units": ["sales"]},
        {"id": "bob", "roles": ["clerk", "manager"], "units": ["sales"]},
        {"id": "carol", "roles": ["manager"], "units": ["operations"]},
        {"id": "root"},
    ],
    "units": [
        {"id": "operations", "supervisor": "carol"},
        {"id": "sales", "supervisor": "carol", "parent": "operations"},
    ],
    "admins": ["root"],
}
AFTER: dict[str, Any] = {
    "users": [
        {"id": "alice", "roles": ["clerk"], "units": ["sales"]},
        {"id": "bob", "roles": ["clerk"], "units": ["sales"]},
        {"id": "mia", "roles": ["manager", "auditor"], "units": ["operations"]},
        {"id": "root"},
    ],
    "units": [
        {"id": "operations", "supervisor": "mia"},
        {"id": "sales", "supervisor": "mia", "parent": "operations"},
    ],
    "admins": ["root"],
}


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(BEFORE)) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.activity("approve", performer="manager")
        pb.process("audit").activity("check", performer="auditor")
        e.deploy(pb.build())
        yield e
        check_history(e)


def _new_organisation(e: Engine) -> None:
    e.directory = Organisation.from_data(AFTER)


def test_work_offered_to_someone_who_left_goes_to_the_new_members(engine: Engine) -> None:
    iid = engine.start_process("p")
    (before,) = engine.work_items(iid)
    assert before.assignees == ("bob", "carol")
    _new_organisation(engine)
    (done,) = engine.reoffer_work()  # the engine command is the same step
    (after,) = engine.work_items(iid)
    assert (done.work_item_id, done.replaced_by, done.assignees) == (before.id, after.id, ("mia",))
    assert (after.state, after.assignees, after.holder) == (WorkItemState.OFFERED, ("mia",), None)
    assert [w.id for w in engine.work_items_of("mia")] == [after.id]
    assert engine.work_items_of("carol") == []
    with pytest.raises(IllegalStateError):  # the old item is withdrawn: nobody takes it
        engine.claim_work_item(before.id, "carol")
    with pytest.raises(NotAuthorizedError):  # and the new one is not hers
        engine.claim_work_item(after.id, "carol")
    engine.claim_work_item(after.id, "mia")
    engine.complete_work_item(after.id, user="mia")
    kinds = [(ev.kind, ev.work_item_id) for ev in engine.audit(iid) if ev.kind.startswith("work")]
    assert kinds[:3] == [
        ("work_item.offered", before.id),
        ("work_item.cancelled", before.id),
        ("work_item.offered", after.id),
    ]
    told = [
        (x.kind, x.payload["work_item_id"], tuple(x.payload["assignees"]))
        for x in engine.outbox.entries(instance_id=iid)
        if x.kind.startswith("work_item")
    ]
    assert told[:3] == [
        ("work_item.offered", before.id, ("bob", "carol")),
        ("work_item.cancelled", before.id, ("bob", "carol")),  # withdrawn from them
        ("work_item.offered", after.id, ("mia",)),
    ]


def test_work_held_by_someone_who_left_goes_back_on_offer(engine: Engine) -> None:
    iid = engine.start_process("p")
    (item,) = engine.work_items(iid)
    engine.claim_work_item(item.id, "carol")
    engine.start_work_item(item.id, "carol")
    _new_organisation(engine)
    (done,) = reoffer_work(engine)
    assert done.holder == "carol"
    (after,) = engine.work_items(iid)
    assert (after.state, after.assignees, after.holder) == (WorkItemState.OFFERED, ("mia",), None)
    engine.complete_work_item(after.id, user="mia")  # claimed and completed at once


def test_work_someone_the_organisation_still_knows_holds_stays_theirs(engine: Engine) -> None:
    """bob is no longer a manager, but he took the approval: it stays his, as it is."""
    iid = engine.start_process("p")
    (item,) = engine.work_items(iid)
    engine.claim_work_item(item.id, "bob")
    _new_organisation(engine)
    assert reoffer_work(engine) == []
    (after,) = engine.work_items(iid)
    assert (after.id, after.holder, after.state) == (item.id, "bob", WorkItemState.ALLOCATED)


def test_work_whose_offer_does_not_change_is_left_alone(engine: Engine) -> None:
    iid = engine.start_process("p")
    (item,) = engine.work_items(iid)
    engine.directory = Organisation.from_data({**BEFORE, "users": BEFORE["users"][::-1]})
    assert reoffer_work(engine) == []  # the same people, in another order
    _new_organisation(engine)
    assert len(reoffer_work(engine)) == 1
    assert reoffer_work(engine) == []  # run again: nothing left to mend
    (after,) = engine.work_items(iid)
    assert after.id != item.id and after.assignees == ("mia",)


def test_work_offered_to_nobody_reaches_a_role_the_new_organisation_gives_members(
    engine: Engine,
) -> None:
    iid = engine.start_process("audit")
    (item,) = engine.work_items(iid)
    assert item.assignees == ()  # no auditor yet: waiting for an administrator
    _new_organisation(engine)
    reoffer_work(engine)
    (after,) = engine.work_items(iid)
    assert after.assignees == ("mia",)


def test_a_suspended_instance_is_re_offered_too_and_a_closed_one_is_not(engine: Engine) -> None:
    suspended = engine.start_process("p")
    engine.suspend(suspended)
    ended = engine.start_process("p")
    engine.terminate(ended)
    _new_organisation(engine)
    assert [r.instance_id for r in reoffer_work(engine)] == [suspended]
    (after,) = engine.work_items(suspended)
    assert after.assignees == ("mia",)


def test_work_given_to_the_performer_of_an_activity_who_left_goes_to_the_members(
    engine: Engine,
) -> None:
    pb = PackageBuilder("more")
    p = pb.process("again")
    p.activity("request", performer="manager")
    p.activity(
        "confirm", performer="manager", extended=[("AssignToPerformerOfActivity", "request")]
    )
    p.transition("request", "confirm")
    engine.deploy(pb.build())
    iid = engine.start_process("again")
    (request,) = engine.work_items(iid)
    engine.complete_work_item(request.id, user="carol")
    (confirm,) = engine.work_items(iid)
    assert (confirm.holder, confirm.state) == ("carol", WorkItemState.ALLOCATED)
    _new_organisation(engine)
    (done,) = reoffer_work(engine)  # not given to carol again: offered to the managers now
    (after,) = engine.work_items(iid)
    assert (done.holder, after.assignees, after.holder) == ("carol", ("mia",), None)


def test_work_first_offered_after_the_performer_of_its_activity_left_goes_to_the_members(
    engine: Engine,
) -> None:
    # carol performed the request, then left; the confirmation, offered after the new
    # organisation came, is not given to her (she could not start it): it is offered to the
    # managers, as the re-offer would
    pb = PackageBuilder("more")
    p = pb.process("again")
    p.activity("request", performer="manager")
    p.activity("between", performer="clerk")
    p.activity(
        "confirm", performer="manager", extended=[("AssignToPerformerOfActivity", "request")]
    )
    p.sequence("request", "between", "confirm")
    engine.deploy(pb.build())
    iid = engine.start_process("again")
    (request,) = engine.work_items(iid)
    engine.complete_work_item(request.id, user="carol")
    (between,) = engine.work_items(iid)
    _new_organisation(engine)
    engine.complete_work_item(between.id, user="alice")
    (confirm,) = engine.work_items(iid)
    assert (confirm.state, confirm.assignees, confirm.holder) == (
        WorkItemState.OFFERED,
        ("mia",),
        None,
    )
    assert reoffer_work(engine) == []  # nothing left to mend
    engine.claim_work_item(confirm.id, "mia")
    engine.complete_work_item(confirm.id, user="mia")


def test_a_performer_value_that_names_someone_who_left_is_an_incident(engine: Engine) -> None:
    pb = PackageBuilder("more")
    p = pb.process("routed")
    p.data_field("person", "STRING")
    p.activity("handle", performer="person")
    engine.deploy(pb.build())
    iid = engine.start_process("routed", {"person": "carol"})
    (item,) = engine.work_items(iid)
    assert item.assignees == ("carol",)
    _new_organisation(engine)
    (done,) = reoffer_work(engine)
    assert done.replaced_by is None and engine.work_items(iid) == []
    (incident,) = engine.incidents(iid)
    assert incident.id == done.incident and "'carol'" in incident.message
    assert incident.operation == "offer"  # a retry offers the work again, and only that
    engine.set_data(iid, {"person": "mia"})
    engine.retry_incident(incident.id)  # the work is offered afresh
    (after,) = engine.work_items(iid)
    assert after.assignees == ("mia",)


def test_someone_the_new_organisation_does_not_know_may_not_take_work_offered_before(
    engine: Engine,
) -> None:
    # before the re-offer runs (a host that set the directory and has not re-offered yet),
    # carol, who left, still appears among the item's assignees: she may not claim, start or
    # complete it; an administrator still may
    from wfengine.errors import NotAuthorizedError

    iid = engine.start_process("p")
    (item,) = engine.work_items(iid)
    _new_organisation(engine)
    refused = "'carol' is not a user of the organisation"
    with pytest.raises(NotAuthorizedError, match=refused):
        engine.claim_work_item(item.id, "carol")
    with pytest.raises(NotAuthorizedError, match=refused):
        engine.complete_work_item(item.id, user="carol")
    engine.complete_work_item(item.id, user="root")
