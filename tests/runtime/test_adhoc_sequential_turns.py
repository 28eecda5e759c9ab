"""A sequential ad-hoc set (``AdHocOrdering="Sequential"``) runs one activity at a time for
every kind of activity: a subflow or a block of the set holds it while it runs, as a person's
started work item does, and one that runs by itself waits for its turn when another is in
progress (WCP17, WCP40)."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import IllegalStateError
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _package(*automatic: str) -> PackageBuilder:
    """A sequential set of the subflows or blocks ``automatic`` (``sub...`` calls process
    'child', ``blk...`` runs activity set 'inner'; each has a person's task 'work') and a
    person's task 'note'; a block 'review' runs the set."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.process("child").activity("work", performer="clerk")
    p = pb.process("main")
    p.activity_set("inner").activity("work", performer="clerk")
    s = p.activity_set("checks", adhoc="Sequential")
    for name in automatic:
        if name.startswith("sub"):
            s.subflow(name, process="child")
        else:
            s.block(name, activity_set="inner")
    s.activity("note", performer="clerk")
    p.block("review", activity_set="checks")
    return pb


def _item(engine: Engine, activity_id: str) -> str:
    [item] = [w.id for w in engine.work_items() if w.activity_id == activity_id]
    return item


def _states(engine: Engine, iid: str) -> dict[str, str]:
    return {a.activity_id: a.state.value for a in engine.activity_instances(iid)}


@pytest.mark.parametrize("kind", ["sub", "blk"])
def test_a_running_subflow_or_block_of_a_sequential_set_holds_it_until_it_closes(
    engine: Engine, kind: str
) -> None:
    iid = run(engine, _package(kind))
    note = _item(engine, "note")
    engine.claim_work_item(note, "clerk")
    with pytest.raises(IllegalStateError, match=f"'{kind}' of its ad-hoc set is in progress"):
        engine.start_work_item(note, "clerk")
    with pytest.raises(IllegalStateError, match="in progress"):
        engine.complete_work_item(note)
    engine.complete_work_item(_item(engine, "work"))  # the subflow's or block's own work
    assert _states(engine, iid)[kind] == "closed.completed"
    engine.start_work_item(note, "clerk")  # its turn now
    engine.complete_work_item(note)
    assert engine.instance(iid).state is ProcessState.COMPLETED


@pytest.mark.parametrize("kinds", [("sub1", "sub2"), ("blk1", "sub2"), ("sub1", "blk2")])
def test_subflows_and_blocks_of_a_sequential_set_run_one_after_the_other(
    engine: Engine, kinds: tuple[str, str]
) -> None:
    first, second = kinds
    iid = run(engine, _package(first, second))
    states = _states(engine, iid)
    assert states[first] == "open.running"
    assert states[second] == "open.not_running.not_started"  # waiting for its turn
    assert sorted(w.activity_id for w in engine.work_items()) == ["note", "work"]  # one 'work'
    engine.complete_work_item(_item(engine, "work"))
    states = _states(engine, iid)
    assert states[first] == "closed.completed"
    assert states[second] == "open.running"  # its turn came as the first closed
    with pytest.raises(IllegalStateError, match=f"'{second}' of its ad-hoc set is in progress"):
        engine.complete_work_item(_item(engine, "note"))
    engine.complete_work_item(_item(engine, "work"))
    engine.complete_work_item(_item(engine, "note"))
    assert engine.instance(iid).state is ProcessState.COMPLETED
    started = [e.activity_id for e in engine.audit(iid) if e.kind == "activity.started"]
    assert started.index(first) < started.index(second)


def test_an_activity_waiting_for_its_turn_is_withdrawn_with_its_set(engine: Engine) -> None:
    # the set ends (its block is cancelled) while a subflow waits: it never starts
    iid = run(engine, _package("sub1", "sub2"))
    [review] = [a.id for a in engine.activity_instances(iid) if a.activity_id == "review"]
    engine.cancel_activity(iid, review)
    states = _states(engine, iid)
    assert states["sub2"] == "closed.aborted"
    assert "sub2" not in [e.activity_id for e in engine.audit(iid) if e.kind == "activity.started"]
    assert engine.instance(iid).state is ProcessState.COMPLETED
