"""Who performed an activity that several people do side by side: the copies of a
multi-instance block (each its own case: one clerk's work, then a check of it) and the
instances of a multi-instance activity.

Each copy's rules read that copy's performer: four eyes keeps a copy's check from whoever did
that copy's work (not from whoever finished another copy last), ``AssignToPerformerOfActivity``
and work sent back go to that copy's performer. A check after a multi-instance activity is
kept from everyone who did one of its instances. Alice, bob and carol are clerks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import STORES
from tests.worklist.copies import open_items, runs
from wfengine import (
    Engine,
    NotAuthorizedError,
    Organisation,
    PackageBuilder,
    VirtualClock,
    multi_instance,
)
from wfengine.runtime.instance import ProcessInstance

THREE = {"users": [{"id": u, "roles": ["clerk"]} for u in ("alice", "bob", "carol")]}
TWO = {"users": [{"id": u, "roles": ["clerk"]} for u in ("alice", "bob")]}


@pytest.fixture(params=STORES)
def run(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    yield from runs(request, tmp_path)


def _in_copies(rule: str, *, wait: bool = False, check_performer: str = "clerk") -> Any:
    """Block ``B`` runs set ``AS`` twice side by side: ``Do``, (``wait``: a one-hour timer),
    then ``Check`` carrying extended attribute ``rule`` = ``Do``."""
    pb = PackageBuilder("copies")
    pb.participant("clerk")
    pb.participant("boss")
    p = pb.process("p")
    s = p.activity_set("AS")
    s.start("as")
    s.activity("Do", performer="clerk")
    extended = {rule: "Do"} if rule else {}
    s.activity("Check", performer=check_performer, extended=extended)
    s.end("ae")
    if wait:
        s.intermediate("wait", timer="PT1H")
        s.sequence("as", "Do", "wait", "Check", "ae")
    else:
        s.sequence("as", "Do", "Check", "ae")
    p.start("s")
    p.block("B", activity_set="AS", loop=multi_instance("2"))
    p.end("e")
    p.sequence("s", "B", "e")
    return pb.build()


def test_four_eyes_in_block_copies_keeps_each_check_from_its_own_copys_doer(run: Any) -> None:
    r = run(THREE)
    e = r.engine
    e.deploy(_in_copies("DoNotAssignToPerformerOfActivity"))
    iid = e.start_process("p")
    first, second = open_items(e, iid, "Do")
    e.complete_work_item(first.id, user="alice")
    [alices] = open_items(r.reopen(), iid, "Check")  # the check of alice's work
    e = r.engine
    e.complete_work_item(second.id, user="bob")
    e = r.reopen()
    checks = {c.id: c.assignees for c in open_items(e, iid, "Check")}
    bobs = next(c for c in checks if c != alices.id)
    assert checks == {alices.id: ("bob", "carol"), bobs: ("alice", "carol")}
    with pytest.raises(NotAuthorizedError, match="'alice' performed activity 'Do'"):
        e.complete_work_item(alices.id, user="alice")
    e.complete_work_item(alices.id, user="bob")
    e.complete_work_item(bobs, user="alice")
    assert r.reopen().instance(iid).state.value == "closed.completed"


def test_four_eyes_in_block_copies_of_two_clerks_each_checks_the_other(run: Any) -> None:
    """Bob finishing his copy's work no longer takes away the check of alice's work that
    was already offered to him (it was then offered to no one: a stuck incident)."""
    r = run(TWO)
    e = r.engine
    e.deploy(_in_copies("DoNotAssignToPerformerOfActivity"))
    iid = e.start_process("p")
    first, second = open_items(e, iid, "Do")
    e.complete_work_item(first.id, user="alice")
    e.complete_work_item(second.id, user="bob")
    e = r.reopen()
    assert e.incidents(iid) == []
    alices, bobs = open_items(e, iid, "Check")
    assert (alices.assignees, bobs.assignees) == (("bob",), ("alice",))
    e.complete_work_item(alices.id, user="bob")
    e.complete_work_item(bobs.id, user="alice")
    assert r.reopen().instance(iid).state.value == "closed.completed"


def test_four_eyes_after_a_multi_instance_activity_excludes_every_instances_performer(
    run: Any,
) -> None:
    pb = PackageBuilder("mi")
    pb.participant("clerk")
    p = pb.process("p")
    p.start("s")
    p.activity("Do", performer="clerk", loop=multi_instance("2"))
    p.activity("Check", performer="clerk", extended={"DoNotAssignToPerformerOfActivity": "Do"})
    p.end("e")
    p.sequence("s", "Do", "Check", "e")
    r = run(THREE)
    e = r.engine
    e.deploy(pb.build())
    iid = e.start_process("p")
    first, second = open_items(e, iid, "Do")
    e.complete_work_item(first.id, user="alice")
    e.complete_work_item(second.id, user="bob")
    e = r.reopen()
    [check] = open_items(e, iid, "Check")
    assert check.assignees == ("carol",)
    with pytest.raises(NotAuthorizedError, match="'alice' performed activity 'Do'"):
        e.complete_work_item(check.id, user="alice")
    e.complete_work_item(check.id, user="carol")
    assert e.instance(iid).state.value == "closed.completed"


def test_assign_to_performer_in_block_copies_gives_each_copy_its_own_performer(
    run: Any,
) -> None:
    r = run(THREE)
    e = r.engine
    e.deploy(_in_copies("AssignToPerformerOfActivity", wait=True))
    iid = e.start_process("p")
    first, second = open_items(e, iid, "Do")
    e.complete_work_item(first.id, user="alice")
    e.complete_work_item(second.id, user="bob")
    r.clock.advance(timedelta(hours=2))
    e = r.reopen()
    e.run_due_jobs()
    held = sorted((c.holder, c.assignees) for c in open_items(e, iid, "Check"))
    assert held == [("alice", ("alice",)), ("bob", ("bob",))]


def test_work_sent_back_in_a_block_copy_goes_to_that_copys_performer(run: Any) -> None:
    org = {
        "users": [
            {"id": "alice", "roles": ["clerk"]},
            {"id": "bob", "roles": ["clerk"]},
            {"id": "carol", "roles": ["boss"]},
        ]
    }
    r = run(org)
    e = r.engine
    e.deploy(_in_copies("", check_performer="boss"))
    iid = e.start_process("p")
    first, second = open_items(e, iid, "Do")
    e.complete_work_item(first.id, user="alice")
    [alices] = open_items(e, iid, "Check")
    e.complete_work_item(second.id, user="bob")
    e = r.reopen()
    e.claim_work_item(alices.id, "carol")
    e.send_back_work_item(alices.id, "carol", "Do", "redo please")
    [redo] = open_items(r.reopen(), iid, "Do")
    assert redo.holder == "alice"


def test_a_copys_own_entries_go_when_the_block_closes() -> None:
    """What a copy records of its performers is for that copy's rules alone: once the block
    is done the instance keeps only the activities' own entries (an instance with many
    copies does not carry them all to its end)."""
    e = Engine(clock=VirtualClock(), directory=Organisation.from_data(THREE))
    e.deploy(_in_copies("DoNotAssignToPerformerOfActivity"))
    iid = e.start_process("p")
    first, second = open_items(e, iid, "Do")
    e.complete_work_item(first.id, user="alice")
    e.complete_work_item(second.id, user="bob")
    inst: ProcessInstance = e.store.instance(iid)
    assert any(" #" in k for k in inst.performers)
    alices, bobs = open_items(e, iid, "Check")
    e.complete_work_item(alices.id, user="bob")
    e.complete_work_item(bobs.id, user="alice")
    inst = e.store.instance(iid)
    assert not [k for k in (*inst.performers, *inst.co_performers) if " #" in k]


def test_a_copy_stored_before_its_own_entries_reads_the_activitys_entry() -> None:
    """An instance stored before copies kept their own entries reads as it did: the
    activity's entry (who did it last in any copy)."""
    e = Engine(clock=VirtualClock(), directory=Organisation.from_data(THREE))
    e.deploy(_in_copies("DoNotAssignToPerformerOfActivity"))
    iid = e.start_process("p")
    first, _ = open_items(e, iid, "Do")
    e.complete_work_item(first.id, user="alice")
    inst: ProcessInstance = e.store.instance(iid)
    for key in [k for k in inst.performers if " #" in k]:  # as stored before them
        del inst.performers[key]
    inst.performers["Do"] = "bob"
    [check] = open_items(e, iid, "Check")
    e.claim_work_item(check.id, "carol")
    assert check.assignees == ("bob", "carol")
    e.release_work_item(check.id, "carol")  # offered again: four eyes read again
    [check] = open_items(e, iid, "Check")
    assert check.assignees == ("carol",)  # (bob: the activity's entry, as before)


def test_four_eyes_after_a_multi_instance_activity_in_block_copies_reads_each_copys(
    run: Any,
) -> None:
    """In each copy, ``Do`` runs twice side by side, then ``Check``: a copy's check is kept
    from both who did that copy's ``Do``, and from nobody of the other copy."""
    four = {"users": [{"id": u, "roles": ["clerk"]} for u in ("alice", "bob", "carol", "dave")]}
    pb = PackageBuilder("mi_copies")
    pb.participant("clerk")
    p = pb.process("p")
    s = p.activity_set("AS")
    s.start("as")
    s.activity("Do", performer="clerk", loop=multi_instance("2"))
    s.activity("Check", performer="clerk", extended={"DoNotAssignToPerformerOfActivity": "Do"})
    s.end("ae")
    s.sequence("as", "Do", "Check", "ae")
    p.start("s")
    p.block("B", activity_set="AS", loop=multi_instance("2"))
    p.end("e")
    p.sequence("s", "B", "e")
    r = run(four)
    e = r.engine
    e.deploy(pb.build())
    iid = e.start_process("p")
    dos = open_items(e, iid, "Do")
    assert len(dos) == 4
    for item, user in zip(dos[:2], ("alice", "bob"), strict=True):
        e.complete_work_item(item.id, user=user)
    [first] = open_items(r.reopen(), iid, "Check")
    e = r.engine
    for item, user in zip(dos[2:], ("carol", "dave"), strict=True):
        e.complete_work_item(item.id, user=user)
    e = r.reopen()
    checks = {c.id: c.assignees for c in open_items(e, iid, "Check")}
    [second] = [c for c in checks if c != first.id]
    assert checks == {first.id: ("carol", "dave"), second: ("alice", "bob")}


def test_manager_of_previous_in_block_copies_asks_each_copys_performers_supervisor(
    run: Any,
) -> None:
    org = {
        "users": [
            {"id": "alice", "roles": ["clerk"], "units": ["sales"]},
            {"id": "dan", "roles": ["clerk"], "units": ["accounts"]},
            {"id": "carol", "roles": ["manager"], "units": ["board"]},
            {"id": "erin", "roles": ["manager"], "units": ["board"]},
        ],
        "units": [
            {"id": "sales", "supervisor": "carol"},
            {"id": "accounts", "supervisor": "erin"},
            {"id": "board"},
        ],
    }
    r = run(org)
    e = r.engine
    e.deploy(_in_copies("MANAGER_OF_PREVIOUS", wait=True, check_performer="manager"))
    iid = e.start_process("p")
    first, second = open_items(e, iid, "Do")
    e.complete_work_item(first.id, user="alice")
    e.complete_work_item(second.id, user="dan")
    r.clock.advance(timedelta(hours=2))
    e = r.reopen()
    e.run_due_jobs()
    offered = sorted(c.assignees for c in open_items(e, iid, "Check"))
    assert offered == [("carol",), ("erin",)]
