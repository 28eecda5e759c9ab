"""A multi-instance activity in a sequential ad-hoc set (``AdHocOrdering="Sequential"``) is one
activity of the set: its container and its instances take one turn together (docs/semantics.md,
"Ad-hoc activity sets"). A tool with a Manual finish and a multi-instance loop used to hang the
instance for ever: the container held the set against its own instances, so every instance's
confirmation, and the person's work of the set, was refused as waiting for it."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.errors import IllegalStateError
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState

pytestmark = pytest.mark.parametrize("store_kind", ["memory", "sqlite"], indirect=True)


def _package(ordering: str = "Parallel", tool: bool = True) -> PackageBuilder:
    """A block 'review' runs a sequential set: 'T', two instances (``ordering``), with
    ``tool`` a tool with a Manual finish whose application appends 't' to 'n' before a clerk
    confirms each instance, else a clerk's work; and a clerk's activity 'A'."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("n", "STRING", initial="''")
    s = p.activity_set("checks", adhoc="Sequential")
    loop = multi_instance("2", ordering=ordering)
    if tool:
        p.application("T_app", params=[("v", "INOUT", "STRING")])
        s.activity(
            "T", tool="T_app", args=["n"], performer="clerk", finish_mode="Manual", loop=loop
        )
    else:
        s.activity("T", performer="clerk", loop=loop)
    s.activity("A", performer="clerk")
    p.block("review", activity_set="checks")
    return pb


def _items(engine: Engine, iid: str, activity_id: str) -> list[str]:
    return [w.id for w in engine.work_items(iid) if w.activity_id == activity_id]


@pytest.mark.parametrize("ordering", ["Parallel", "Sequential"])
def test_a_multi_instance_manual_finish_tool_of_a_sequential_set_completes(
    engine: Engine, ordering: str
) -> None:
    engine.applications.register("T_app", lambda v: {"v": v + "t"})
    iid = run(engine, _package(ordering))
    [a] = _items(engine, iid, "A")
    for _ in range(2):  # each instance's confirmation, as it is offered
        with pytest.raises(IllegalStateError, match=r"'T' of its ad-hoc set is in progress"):
            engine.complete_work_item(a)  # T holds the set until its last instance closes
        [t] = _items(engine, iid, "T")[:1]
        engine.complete_work_item(t)
    assert _items(engine, iid, "T") == []
    engine.complete_work_item(a)
    snap = engine.instance(iid)
    assert snap.state is ProcessState.COMPLETED
    assert snap.data["n"] == "tt"


def test_peoples_instances_of_a_parallel_multi_instance_activity_are_one_turn(
    engine: Engine,
) -> None:
    iid = run(engine, _package(tool=False))
    first, second = _items(engine, iid, "T")
    engine.claim_work_item(first, "clerk")
    engine.start_work_item(first, "clerk")
    engine.claim_work_item(second, "clerk")
    engine.start_work_item(second, "clerk")  # another instance of the activity in progress
    [a] = _items(engine, iid, "A")
    with pytest.raises(IllegalStateError, match=r"'T' of its ad-hoc set is in progress"):
        engine.complete_work_item(a)
    engine.complete_work_item(second)
    engine.complete_work_item(first)
    engine.complete_work_item(a)
    assert engine.instance(iid).state is ProcessState.COMPLETED


@pytest.mark.parametrize("ordering", ["Parallel", "Sequential"])
def test_a_persons_multi_instance_activity_keeps_the_turn_between_its_instances(
    engine: Engine, ordering: str
) -> None:
    # before, only a started instance held the set: after T's first instance completed,
    # A could be started, and T's second instance was then refused as waiting for A
    iid = run(engine, _package(ordering, tool=False))
    first = _items(engine, iid, "T")[0]
    engine.claim_work_item(first, "clerk")
    engine.start_work_item(first, "clerk")
    engine.complete_work_item(first)
    [a] = _items(engine, iid, "A")
    engine.claim_work_item(a, "clerk")
    with pytest.raises(IllegalStateError, match=r"'T' of its ad-hoc set is in progress"):
        engine.start_work_item(a, "clerk")
    [second] = _items(engine, iid, "T")
    engine.claim_work_item(second, "clerk")
    engine.start_work_item(second, "clerk")
    engine.complete_work_item(second)
    engine.start_work_item(a, "clerk")  # T's last instance closed: the set is A's now
    engine.complete_work_item(a)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_persons_multi_instance_activity_not_begun_holds_no_turn(engine: Engine) -> None:
    # A begun first holds the set; T's instances, only on offer, wait for it
    iid = run(engine, _package("Sequential", tool=False))
    [a] = _items(engine, iid, "A")
    engine.claim_work_item(a, "clerk")
    engine.start_work_item(a, "clerk")
    [t] = _items(engine, iid, "T")
    with pytest.raises(IllegalStateError, match=r"'A' of its ad-hoc set is in progress"):
        engine.complete_work_item(t)
    engine.complete_work_item(a)
    engine.complete_work_item(t)
    [t] = _items(engine, iid, "T")
    engine.complete_work_item(t)
    assert engine.instance(iid).state is ProcessState.COMPLETED
