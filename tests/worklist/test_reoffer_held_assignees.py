"""A new organisation's re-offer mends who work is offered to, also for work someone it still
knows holds, and drops the people an escalation reached who have since left.

Before: an item held by someone the new organisation knows kept the old organisation's
assignees, so its holder's release offered it to them: a clerk who had become an accountant
(or left altogether) could claim it and the new clerk could not. And an escalated item whose
performers resolved to the same people stayed offered to a supervisor who had left.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import (
    Engine,
    NotAuthorizedError,
    Organisation,
    PackageBuilder,
    VirtualClock,
    WorkItemState,
)

BEFORE: dict[str, Any] = {
    "users": [
        {"id": "alice", "roles": ["clerk"], "units": ["desk"]},
        {"id": "bob", "roles": ["clerk"], "units": ["desk"]},
        {"id": "sue", "units": ["mgmt"]},
    ],
    "units": [{"id": "desk", "supervisor": "sue", "parent": "mgmt"}, {"id": "mgmt"}],
}
#: bob is an accountant now, frank a new clerk; sue (who supervised the desk) left
AFTER: dict[str, Any] = {
    "users": [
        {"id": "alice", "roles": ["clerk"], "units": ["desk"]},
        {"id": "bob", "roles": ["accountant"], "units": ["desk"]},
        {"id": "frank", "roles": ["clerk"], "units": ["desk"]},
    ],
    "units": [{"id": "desk", "parent": "mgmt"}, {"id": "mgmt"}],
}


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(BEFORE)) as e:
        pb = PackageBuilder("desk")
        pb.participant("clerk", type="ROLE")
        late = {"wfengine:escalate-after": "PT1H"}
        pb.process("ticket").activity("answer", performer="clerk", extended=late)
        e.deploy(pb.build())
        yield e
        check_history(e)


def test_work_held_through_a_new_organisation_is_released_to_its_people(engine: Engine) -> None:
    iid = engine.start_process("ticket")
    (item,) = engine.work_items(iid)
    assert item.assignees == ("alice", "bob")
    engine.claim_work_item(item.id, "alice")
    engine.directory = Organisation.from_data(AFTER)

    assert engine.reoffer_work() == []  # nothing withdrawn: alice keeps it
    kept = engine.work_item(item.id)
    assert (kept.state, kept.holder, kept.assignees) == (
        WorkItemState.ALLOCATED,
        "alice",
        ("alice", "frank"),
    )
    assert engine.reoffer_work() == []  # run again: nothing left to mend

    engine.release_work_item(item.id, "alice")
    released = engine.work_item(item.id)
    assert (released.state, released.assignees) == (WorkItemState.OFFERED, ("alice", "frank"))
    assert [w.id for w in engine.work_items_of("frank")] == [item.id]
    assert engine.work_items_of("bob") == []
    with pytest.raises(NotAuthorizedError):
        engine.claim_work_item(item.id, "bob")  # an accountant now
    engine.claim_work_item(item.id, "frank")
    engine.complete_work_item(item.id, user="frank")


def test_an_escalation_to_someone_who_left_is_offered_to_those_left(engine: Engine) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    iid = engine.start_process("ticket")
    clock.advance(timedelta(hours=2))
    engine.run_due_jobs()
    (escalated,) = engine.work_items(iid)
    assert escalated.assignees == ("alice", "bob", "sue")
    # the clerks are the same people; sue, whom the escalation reached, left
    same_clerks = {**AFTER, "users": [{**u, "roles": ["clerk"]} for u in AFTER["users"][:2]]}
    engine.directory = Organisation.from_data(same_clerks)

    (done,) = engine.reoffer_work()
    (fresh,) = engine.work_items(iid)
    assert (done.work_item_id, done.replaced_by) == (escalated.id, fresh.id)
    assert fresh.assignees == ("alice", "bob")
    assert engine.reoffer_work() == []
