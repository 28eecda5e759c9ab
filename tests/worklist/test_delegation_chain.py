"""Delegation handed on: alice delegates her work to dan, who delegates it on to bob. The one
who first delegated it stays its owner (not dan, who only passed it on): bob's release gives
it back to alice, and under ``wfengine:delegation-confirm`` bob's completion goes to alice to
confirm. dan, in the middle, keeps nothing of it."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, WorkItemReleased, WorkItemState


def _chain(e: Engine, *, confirm: bool = False) -> str:
    """A clerk's item, claimed by alice, delegated to dan and by dan on to bob."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    rules: dict[str, str | None] = {"wfengine:delegation-confirm": "true"} if confirm else {}
    p.start("s")
    p.activity("quote", performer="clerk", extended=rules)
    p.end("e")
    p.sequence("s", "quote", "e")
    e.deploy(pb.build())
    iid = e.start_process("main")
    [item] = e.work_items(iid)
    e.claim_work_item(item.id, "alice")
    e.delegate_work_item(item.id, "alice", "dan")
    e.delegate_work_item(item.id, "dan", "bob")
    chained = e.work_item(item.id)
    assert (chained.holder, chained.owner) == ("bob", "alice")
    return item.id


def test_the_first_delegator_stays_the_owner_and_gets_a_release(org_engine: Engine) -> None:
    e = org_engine
    wi = _chain(e)
    e.release_work_item(wi, "bob")
    item = e.work_item(wi)
    assert (item.holder, item.owner, item.state) == ("alice", None, WorkItemState.ALLOCATED)
    assert e.work_items_of("dan") == []
    [released] = [ev for ev in e.audit(item.instance_id) if ev.kind == "work_item.released"]
    assert isinstance(released.payload, WorkItemReleased)
    assert (released.user, released.payload.to) == ("bob", "alice")


def test_the_first_delegator_confirms_the_delegates_work(org_engine: Engine) -> None:
    e = org_engine
    wi = _chain(e, confirm=True)
    e.complete_work_item(wi, user="bob")
    item = e.work_item(wi)
    assert (item.holder, item.owner, item.state) == ("alice", None, WorkItemState.ALLOCATED)
    e.complete_work_item(wi, user="alice")
    assert e.work_item(wi).state is WorkItemState.COMPLETED
