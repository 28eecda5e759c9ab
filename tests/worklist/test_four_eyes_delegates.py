"""Four eyes (``DoNotAssignToPerformerOfActivity``) when the earlier work was done by a
delegate (``wfengine:delegation-confirm``: the delegate's finished work goes back to its owner,
who confirms it): the delegate wrote the work, so the check never goes to them either, on
every store, whether the check is offered after the work or was already waiting, and after
the work was sent back and done again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import (
    Engine,
    NotAuthorizedError,
    Organisation,
    PackageBuilder,
    ProcessState,
    VirtualClock,
)
from wfengine.runtime.sql import schema
from wfengine.runtime.sql.store import SqlStore

#: three clerks; carol supervises them
ORG = {
    "users": [{"id": u, "roles": ["clerk"], "units": ["sales"]} for u in ("alice", "bob", "dave")]
    + [{"id": "carol", "units": ["management"]}],
    "units": [{"id": "management"}, {"id": "sales", "supervisor": "carol", "parent": "management"}],
}

CONFIRM = {"wfengine:delegation-confirm": "true"}


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        yield e
        check_history(e)


def _write_then_check(e: Engine, *, parallel: bool = False) -> str:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.activity("write", performer="clerk", extended=CONFIRM)
    p.activity("check", performer="clerk", extended=[("DoNotAssignToPerformerOfActivity", "write")])
    if parallel:
        p.route("split", gateway="Parallel").route("join", gateway="Parallel")
        p.sequence("split", "write", "join").sequence("split", "check", "join")
    else:
        p.transition("write", "check")
    e.deploy(pb.build())
    return e.start_process("p")


def _written_by_delegate(e: Engine, write_id: str) -> None:
    """alice claims the write and delegates it to bob; bob writes it; alice confirms it."""
    e.claim_work_item(write_id, "alice")
    e.delegate_work_item(write_id, "alice", "bob")
    e.complete_work_item(write_id, user="bob")  # back to alice, to confirm
    e.complete_work_item(write_id, user="alice")


def test_the_delegate_who_wrote_the_work_is_not_offered_the_check(engine: Engine) -> None:
    e = engine
    iid = _write_then_check(e)
    (write,) = e.work_items(iid)
    _written_by_delegate(e, write.id)
    (check,) = e.work_items(iid)
    assert (check.activity_id, check.assignees) == ("check", ("dave",))
    with pytest.raises(NotAuthorizedError, match="'bob' performed activity 'write'"):
        e.complete_work_item(check.id, user="bob")
    with pytest.raises(NotAuthorizedError, match="four eyes"):
        e.claim_work_item(check.id, "bob")
    e.complete_work_item(check.id, user="dave")
    assert e.instance(iid).state is ProcessState.COMPLETED


def test_a_waiting_check_leaves_the_delegates_worklist_when_their_work_goes_back(
    engine: Engine,
) -> None:
    """The check waits, offered to every clerk, while bob writes for alice: once bob's work
    goes back to alice to confirm, he is no longer offered the check (before she confirms)."""
    e = engine
    iid = _write_then_check(e, parallel=True)
    write, check = sorted(e.work_items(iid), key=lambda w: w.activity_id != "write")
    assert check.assignees == ("alice", "bob", "dave")
    e.claim_work_item(write.id, "alice")
    e.delegate_work_item(write.id, "alice", "bob")
    e.complete_work_item(write.id, user="bob")
    assert e.work_item(check.id).assignees == ("alice", "dave")
    assert [w.activity_id for w in e.work_items_of("bob")] == []
    with pytest.raises(NotAuthorizedError, match="'bob' performed activity 'write'"):
        e.claim_work_item(check.id, "bob")
    e.complete_work_item(write.id, user="alice")
    assert e.work_item(check.id).assignees == ("dave",)


def test_the_delegate_stays_excluded_after_the_work_is_sent_back_and_redone(
    engine: Engine,
) -> None:
    """dave sends the checked work back; alice (who confirmed it) writes it again herself:
    what bob wrote is still part of the case's work, so the new check goes to dave alone."""
    e = engine
    iid = _write_then_check(e)
    (write,) = e.work_items(iid)
    _written_by_delegate(e, write.id)
    (check,) = e.work_items(iid)
    e.claim_work_item(check.id, "dave")
    e.send_back_work_item(check.id, "dave", "write", "the totals are wrong")
    (again,) = e.work_items(iid)
    assert (again.activity_id, again.holder) == ("write", "alice")
    e.complete_work_item(again.id, user="alice")
    (check2,) = e.work_items(iid)
    assert (check2.activity_id, check2.assignees) == ("check", ("dave",))


def test_a_delegated_write_that_leaves_no_checker_is_an_incident(engine: Engine) -> None:
    """dave is offered the write as well: he writes it for alice, she confirms, and the
    check has no one left (alice confirmed, dave wrote, and bob is away: not a clerk here),
    an incident naming both."""
    e = engine
    iid = _write_then_check(e)
    (write,) = e.work_items(iid)
    e.claim_work_item(write.id, "alice")
    e.delegate_work_item(write.id, "alice", "dave")
    e.complete_work_item(write.id, user="dave")
    e.directory = Organisation.from_data(
        {**ORG, "users": [u for u in ORG["users"] if u["id"] != "bob"]}
    )
    e.complete_work_item(write.id, user="alice")
    assert e.work_items(iid) == []
    (incident,) = e.incidents(iid)
    assert "'alice' performed 'write'" in incident.message
    assert "'dave' performed 'write'" in incident.message


def test_the_stored_document_names_delegates_only_when_there_are_some(tmp_path: Path) -> None:
    """The key is left out when no delegate wrote anything (no new document format: an older
    document, without it, reads as none), and written once one did."""
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        plain = _write_then_check(e)
        delegated = e.start_process("p")
        (write,) = e.work_items(plain)
        e.complete_work_item(write.id, user="alice")
        (write2,) = e.work_items(delegated)
        _written_by_delegate(e, write2.id)
        store = e.store
        assert isinstance(store, SqlStore)
        p = schema.process_instances
        with store.sa_engine.connect() as conn:
            rows = dict(conn.execute(sa.select(p.c.id, p.c.state_blob)).all())
        assert "co_performers" not in rows[plain]
        assert rows[delegated]["co_performers"] == {"write": ["bob"]}
