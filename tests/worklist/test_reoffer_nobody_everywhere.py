"""Work that an organisation change leaves with no one to do it is an offer incident in every
path, as README says of ``org load``: a retry that still reaches no one opens it again, and
a holder the organisation still knows keeps work whose role it emptied, their release opening
the incident.

Before: retrying the re-offer's incident while the role was still empty closed it and left
the work offered to no one, silently (a first offer's rule for a role not staffed yet); and
work held by someone who stayed but lost the role was reported by nobody and, released, went
on offer to no one: in no worklist, with no incident.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, WorkItemState

CLERK: dict[str, Any] = {
    "users": [{"id": "alice", "roles": ["clerk"]}, {"id": "root"}],
    "admins": ["root"],
}
#: alice stays, but is no clerk any more: the role has no members
NO_CLERK: dict[str, Any] = {"users": [{"id": "alice"}, {"id": "root"}], "admins": ["root"]}


@pytest.fixture(params=STORES[:2])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(CLERK)) as e:
        pb = PackageBuilder("pkg")
        pb.participant("clerk", type="ROLE")
        pb.process("p").activity("quote", performer="clerk")
        e.deploy(pb.build())
        yield e
        check_history(e)


def test_retrying_while_the_role_is_still_empty_opens_the_incident_again(engine: Engine) -> None:
    iid = engine.start_process("p")
    engine.directory = Organisation.from_data(NO_CLERK)
    engine.reoffer_work()
    (incident,) = engine.incidents(iid)
    engine.retry_incident(incident.id)  # nothing changed: still no clerk
    (again,) = engine.incidents(iid)
    assert again.id != incident.id and again.operation == "offer"
    assert "'clerk' reach no one" in again.message, again.message
    assert engine.work_items(iid) == []

    engine.directory = Organisation.from_data(CLERK)
    engine.retry_incident(again.id)
    (item,) = engine.work_items(iid)
    assert item.assignees == ("alice",)
    assert engine.incidents(iid) == []


def test_a_holder_who_stays_keeps_the_work_and_their_release_opens_the_incident(
    engine: Engine,
) -> None:
    iid = engine.start_process("p")
    (item,) = engine.work_items(iid)
    engine.claim_work_item(item.id, "alice")
    engine.directory = Organisation.from_data(NO_CLERK)

    (told,) = engine.reoffer_work()  # told, not withdrawn: alice keeps it
    assert (told.work_item_id, told.kept, told.holder) == (item.id, True, "alice")
    assert (told.replaced_by, told.incident) == (None, None)
    kept = engine.work_item(item.id)
    assert (kept.state, kept.holder, kept.assignees) == (WorkItemState.ALLOCATED, "alice", ())
    assert engine.incidents(iid) == []
    assert engine.reoffer_work() == []  # run again: told once

    engine.release_work_item(item.id, "alice")
    assert engine.work_item(item.id).state is WorkItemState.CANCELLED
    (incident,) = engine.incidents(iid)
    assert incident.operation == "offer"
    assert "released, its performer(s) 'clerk' reach no one" in incident.message
    assert engine.work_items(iid) == []

    engine.directory = Organisation.from_data(CLERK)
    engine.retry_incident(incident.id)
    (again,) = engine.work_items(iid)
    assert again.assignees == ("alice",)


def test_a_release_offers_it_to_the_role_staffed_since(engine: Engine) -> None:
    iid = engine.start_process("p")
    (item,) = engine.work_items(iid)
    engine.claim_work_item(item.id, "alice")
    engine.directory = Organisation.from_data(NO_CLERK)
    engine.reoffer_work()
    staffed = {**NO_CLERK, "users": [*NO_CLERK["users"], {"id": "bob", "roles": ["clerk"]}]}
    engine.directory = Organisation.from_data(staffed)  # not re-offered (alice holds it)
    engine.release_work_item(item.id, "alice")
    released = engine.work_item(item.id)
    assert (released.state, released.assignees) == (WorkItemState.OFFERED, ("bob",))
    assert engine.incidents(iid) == []


def test_the_first_offer_to_a_role_without_members_still_waits_for_an_administrator(
    engine: Engine,
) -> None:
    engine.directory = Organisation.from_data(NO_CLERK)
    iid = engine.start_process("p")
    (item,) = engine.work_items(iid)
    assert item.assignees == () and engine.incidents(iid) == []


def test_work_an_administrator_gave_out_from_an_empty_role_goes_to_an_incident_on_release(
    engine: Engine,
) -> None:
    """The release rule holds whoever had it offered to no one: an administrator reassigned
    work of a role not staffed yet; released, it reaches no one, and says so."""
    engine.directory = Organisation.from_data(NO_CLERK)
    iid = engine.start_process("p")
    (item,) = engine.work_items(iid)
    engine.reassign_work_item(item.id, "root", "alice")
    engine.release_work_item(item.id, "alice")
    (incident,) = engine.incidents(iid)
    assert incident.operation == "offer" and engine.work_items(iid) == []
