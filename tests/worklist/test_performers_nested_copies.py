"""Who performed an activity, as a rule in a copy of a multi-instance block reads it, when the
copies nest (a copy runs a multi-instance block of its own) and when a copy skipped an activity
another copy did.

Block ``B`` runs set ``OUTER`` twice side by side (copies A and B: each its own case); work
done in a copy of a nested block is work of the outer copy it runs in, so a check in the outer
copy after the nested block is kept from (four eyes) or given to (``AssignToPerformerOfActivity``)
whoever did that copy's work, not the other copy's. A copy whose exclusive split left an
activity out did not do it: ``MANAGER_OF_PREVIOUS`` and four eyes there do not read the other
copy's performer of it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.worklist.copies import Run, open_items, runs
from wfengine import Engine, PackageBuilder, multi_instance


def _clerks(*names: str) -> dict[str, Any]:
    return {"users": [{"id": u, "roles": ["clerk"]} for u in names]}


@pytest.fixture(params=("memory", "sqlite"))
def run(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    yield from runs(request, tmp_path)


def _nested(rule: str, *, inner: str = "1", parallel: bool = False) -> Any:
    """``B`` (two copies) runs ``OUTER``: the multi-instance block ``I`` (``inner`` copies of
    set ``INNER``: ``Do``), then, after a one-hour timer, ``Check`` carrying ``rule`` = ``Do``
    (``parallel``: ``Check`` beside ``I``, offered at once)."""
    pb = PackageBuilder("nested")
    pb.participant("clerk")
    p = pb.process("p")
    s = p.activity_set("INNER")
    s.start("is").activity("Do", performer="clerk").end("ie")
    s.sequence("is", "Do", "ie")
    o = p.activity_set("OUTER")
    o.start("os")
    o.block("I", activity_set="INNER", loop=multi_instance(inner))
    o.activity("Check", performer="clerk", extended={rule: "Do"})
    o.end("oe")
    if parallel:
        o.route("fork", gateway="Parallel").route("join", gateway="Parallel")
        o.sequence("os", "fork", "I", "join", "oe")
        o.sequence("fork", "Check", "join")
    else:
        o.intermediate("wait", timer="PT1H")
        o.sequence("os", "I", "wait", "Check", "oe")
    p.start("s")
    p.block("B", activity_set="OUTER", loop=multi_instance("2"))
    p.end("e")
    p.sequence("s", "B", "e")
    return pb.build()


def _past_the_wait(r: Run) -> Engine:
    r.clock.advance(timedelta(hours=2))
    e = r.reopen()
    e.run_due_jobs()
    return e


def test_four_eyes_after_a_nested_block_keeps_each_outer_copys_check_from_its_own_doer(
    run: Any,
) -> None:
    """With two clerks each checks the other's work (it was: alice's copy's check to bob,
    bob's copy's check offered to no one, an incident)."""
    r = run(_clerks("alice", "bob"))
    e = r.engine
    e.deploy(_nested("DoNotAssignToPerformerOfActivity"))
    iid = e.start_process("p")
    first, second = open_items(e, iid, "Do")
    e.complete_work_item(first.id, user="alice")
    r.reopen().complete_work_item(second.id, user="bob")
    e = _past_the_wait(r)
    assert e.incidents(iid) == []
    checks = open_items(e, iid, "Check")
    assert sorted(c.assignees for c in checks) == [("alice",), ("bob",)]
    for c in checks:
        e.complete_work_item(c.id, user=c.assignees[0])
    assert r.reopen().instance(iid).state.value == "closed.completed"


def test_four_eyes_after_nested_copies_keeps_the_check_from_all_of_its_copys_doers(
    run: Any,
) -> None:
    """Each outer copy runs ``Do`` in two nested copies: its check is kept from both who did
    them, and from nobody of the other outer copy."""
    r = run(_clerks("alice", "bob", "carol", "dave", "erin"))
    e = r.engine
    e.deploy(_nested("DoNotAssignToPerformerOfActivity", inner="2"))
    iid = e.start_process("p")
    dos = open_items(e, iid, "Do")
    assert len(dos) == 4
    for item, user in zip(dos, ("alice", "bob", "carol", "dave"), strict=True):
        r.reopen().complete_work_item(item.id, user=user)
    e = _past_the_wait(r)
    offered = sorted(c.assignees for c in open_items(e, iid, "Check"))
    assert offered == [("alice", "bob", "erin"), ("carol", "dave", "erin")]


def test_work_in_a_nested_copy_takes_its_outer_copys_open_check_from_the_doer(
    run: Any,
) -> None:
    """``Check`` is offered beside the nested block: alice doing copy A's ``Do`` takes copy A's
    check from her (it stayed offered to her), not copy B's."""
    r = run(_clerks("alice", "bob", "carol"))
    e = r.engine
    e.deploy(_nested("DoNotAssignToPerformerOfActivity", parallel=True))
    iid = e.start_process("p")
    checks = open_items(e, iid, "Check")
    assert [c.assignees for c in checks] == [("alice", "bob", "carol")] * 2
    first, _ = open_items(e, iid, "Do")
    e.complete_work_item(first.id, user="alice")
    e = r.reopen()
    offered = sorted(c.assignees for c in open_items(e, iid, "Check"))
    assert offered == [("alice", "bob", "carol"), ("bob", "carol")]


def test_assign_to_performer_after_a_nested_block_gives_each_outer_copy_its_own_doer(
    run: Any,
) -> None:
    r = run(_clerks("alice", "bob"))
    e = r.engine
    e.deploy(_nested("AssignToPerformerOfActivity"))
    iid = e.start_process("p")
    first, second = open_items(e, iid, "Do")
    e.complete_work_item(first.id, user="alice")
    e.complete_work_item(second.id, user="bob")
    e = _past_the_wait(r)
    held = sorted((c.holder, c.assignees) for c in open_items(e, iid, "Check"))
    assert held == [("alice", ("alice",)), ("bob", ("bob",))]


ORG = {
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


def _skipping() -> Any:
    """``B`` (two copies) runs ``AS``: ``Do`` (writes ``route``), then ``X`` when ``route`` is
    "long" (else straight on), a one-hour timer, ``Check`` (``MANAGER_OF_PREVIOUS``) and
    ``Check2`` (four eyes on ``X``)."""
    pb = PackageBuilder("copies")
    pb.participant("clerk")
    pb.participant("manager")
    p = pb.process("p")
    p.data_field("route", "STRING", initial="short")
    s = p.activity_set("AS")
    s.start("as")
    s.activity("Do", performer="clerk", writes=["route"])
    s.route("x")
    s.activity("X", performer="clerk")
    s.intermediate("wait", timer="PT1H")
    s.activity("Check", performer="manager", extended={"MANAGER_OF_PREVIOUS": "Do"})
    s.activity("Check2", performer="clerk", extended={"DoNotAssignToPerformerOfActivity": "X"})
    s.end("ae")
    s.sequence("as", "Do", "x")
    s.transition("x", "X", condition="route == 'long'")
    s.transition("x", "wait", otherwise=True)
    s.sequence("X", "wait", "Check", "Check2", "ae")
    p.start("s")
    p.block("B", activity_set="AS", loop=multi_instance("2"))
    p.end("e")
    p.sequence("s", "B", "e")
    return pb.build()


def test_a_copy_that_skipped_an_activity_does_not_read_another_copys_performer_of_it(
    run: Any,
) -> None:
    """Copy A: alice's ``Do``, the short way; copy B: alice's ``Do``, dan's ``X``. Copy A's
    ``Check`` goes to the supervisor of alice (its step before), copy B's to dan's; copy A's
    ``Check2`` (four eyes on ``X``, which copy A never ran) is not kept from dan."""
    r = run(ORG)
    e = r.engine
    e.deploy(_skipping())
    iid = e.start_process("p")
    a, b = open_items(e, iid, "Do")
    e.complete_work_item(a.id, {"route": "short"}, user="alice")
    e.complete_work_item(b.id, {"route": "long"}, user="alice")
    [x] = open_items(r.reopen(), iid, "X")
    r.engine.complete_work_item(x.id, user="dan")
    e = _past_the_wait(r)
    checks = open_items(e, iid, "Check")
    by_copy = {c.assignees: c for c in checks}
    assert sorted(by_copy) == [("carol",), ("erin",)]
    e.complete_work_item(by_copy[("carol",)].id, user="carol")  # copy A's
    [copy_a] = open_items(r.reopen(), iid, "Check2")
    assert copy_a.assignees == ("alice", "dan")
    e = r.engine
    e.complete_work_item(by_copy[("erin",)].id, user="erin")  # copy B's
    e = r.reopen()
    [copy_b] = [c for c in open_items(e, iid, "Check2") if c.id != copy_a.id]
    assert copy_b.assignees == ("alice",)
    e.complete_work_item(copy_a.id, user="dan")
    e.complete_work_item(copy_b.id, user="alice")
    assert r.reopen().instance(iid).state.value == "closed.completed"
