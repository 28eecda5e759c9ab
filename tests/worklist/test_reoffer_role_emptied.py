"""A new organisation that empties a role the open work is offered to withdraws that work with
an incident (operation ``offer``), as a performer expression that names no one now does.

Before: the re-offer withdrew the item and offered a new one to no one, silently (no incident,
``Reoffered.incident`` None, ``wfengine org load`` counted it as re-offered): work that people
had was stranded where no worklist, not even an administrator's, shows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock

BEFORE: dict[str, Any] = {
    "users": [
        {"id": "ann", "roles": ["clerk"]},
        {"id": "bob", "roles": ["clerk"]},
        {"id": "root"},
    ],
    "roles": [{"id": "clerk"}, {"id": "auditor"}],
    "admins": ["root"],
}
#: the clerks moved on (ann is an auditor now, bob left): the clerk role has no members
EMPTIED: dict[str, Any] = {
    "users": [{"id": "ann", "roles": ["auditor"]}, {"id": "root"}],
    "roles": [{"id": "clerk"}, {"id": "auditor"}],
    "admins": ["root"],
}
#: a new clerk
STAFFED: dict[str, Any] = {
    "users": [{"id": "ann", "roles": ["auditor"]}, {"id": "dan", "roles": ["clerk"]}],
    "roles": [{"id": "clerk"}, {"id": "auditor"}],
}


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(BEFORE)) as e:
        pb = PackageBuilder("desk")
        pb.participant("clerk", type="ROLE")
        pb.participant("auditor", type="ROLE")
        pb.process("ticket").activity("answer", performer="clerk")
        pb.process("audit").activity("check", performer="auditor")
        e.deploy(pb.build())
        yield e
        check_history(e)


def test_work_offered_to_a_role_the_organisation_emptied_waits_on_an_incident(
    engine: Engine,
) -> None:
    iid = engine.start_process("ticket")
    (item,) = engine.work_items(iid)
    assert item.assignees == ("ann", "bob")
    engine.directory = Organisation.from_data(EMPTIED)
    (done,) = engine.reoffer_work()
    (incident,) = engine.incidents(iid)
    assert (done.work_item_id, done.replaced_by, done.incident) == (item.id, None, incident.id)
    assert incident.operation == "offer"
    assert "'clerk' reach no one" in incident.message, incident.message
    assert "offered to 'ann', 'bob'" in incident.message, incident.message
    assert engine.work_items(iid) == []  # withdrawn: no open work
    assert engine.reoffer_work() == []  # run again: nothing open to mend
    # once the role has members again, the retry offers the work to them
    engine.directory = Organisation.from_data(STAFFED)
    engine.retry_incident(incident.id)
    (again,) = engine.work_items(iid)
    assert again.assignees == ("dan",)
    engine.complete_work_item(again.id, user="dan")


def test_work_held_by_someone_who_left_of_an_emptied_role_waits_on_an_incident(
    engine: Engine,
) -> None:
    iid = engine.start_process("ticket")
    (item,) = engine.work_items(iid)
    engine.claim_work_item(item.id, "bob")
    engine.start_work_item(item.id, "bob")
    engine.directory = Organisation.from_data(EMPTIED)
    (done,) = engine.reoffer_work()
    (incident,) = engine.incidents(iid)
    assert (done.holder, done.replaced_by, done.incident) == ("bob", None, incident.id)
    assert "held by 'bob'" in incident.message, incident.message


def test_work_already_offered_to_nobody_stays_so_without_an_incident(engine: Engine) -> None:
    """A first offer to a performer without members is offered to nobody (waiting for an
    administrator): an organisation that leaves it so changes nothing for it."""
    iid = engine.start_process("audit")
    (item,) = engine.work_items(iid)
    assert item.assignees == ()
    engine.directory = Organisation.from_data({**BEFORE, "users": BEFORE["users"][::-1]})
    assert engine.reoffer_work() == []
    assert engine.incidents(iid) == []
    assert [w.id for w in engine.work_items(iid)] == [item.id]
