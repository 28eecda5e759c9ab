"""An ad-hoc set with a completion condition starts every activity of it that has no way in,
whatever order they are declared in (docs/semantics.md, "Ad-hoc activity sets"): what is left
when the condition holds is withdrawn (closed as aborted). A person's activity declared after
two automatic ones that made the condition hold used to be never created at all (no offer, no
withdrawal in the trail); declared before them, it was offered and withdrawn."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.history import EventKind
from wfengine.runtime.states import ActivityState, ProcessState

pytestmark = pytest.mark.parametrize("store_kind", ["memory", "sqlite"], indirect=True)


def _set(engine: Engine, order: str, ordering: str = "Parallel", completion: str = "n >= 2") -> str:
    """A block running ad-hoc set ``work``: scripts ``a`` and ``b`` each add 1 to ``n``, ``c``
    is a clerk's; ``order`` is the order they are declared in."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    s = p.activity_set("work", adhoc=ordering, completion=completion)
    for name in order:
        if name == "c":
            s.activity("c", performer="clerk")
        else:
            s.activity(name, script="n = n + 1")
    p.block("blk", activity_set="work")
    p.activity("after").transition("blk", "after")
    return run(engine, pb)


def _states(engine: Engine, iid: str) -> dict[str, str]:
    return {
        a.activity_id: a.state.value
        for a in engine.activity_instances(iid)
        if a.activity_id in ("a", "b", "c")
    }


@pytest.mark.parametrize("order", ["cab", "acb", "abc"])
@pytest.mark.parametrize("ordering", ["Parallel", "Sequential"])
def test_a_persons_activity_is_offered_and_withdrawn_wherever_it_is_declared(
    engine: Engine, order: str, ordering: str
) -> None:
    iid = _set(engine, order, ordering)
    instance = engine.instance(iid)
    assert instance.state is ProcessState.COMPLETED
    assert instance.data["n"] == 2
    assert _states(engine, iid) == {
        "a": ActivityState.COMPLETED.value,
        "b": ActivityState.COMPLETED.value,
        "c": ActivityState.ABORTED.value,
    }
    assert engine.work_items(iid) == []
    assert engine.trace(iid)[-2:] == ["blk", "after"]
    # offered before the automatic work ran, and withdrawn, in every order
    kinds = [(str(e.kind), e.activity_id) for e in engine.audit(iid)]
    offered = kinds.index((EventKind.WORK_ITEM_OFFERED.value, "c"))
    assert offered < kinds.index((EventKind.ACTIVITY_COMPLETED.value, "a"))
    assert (EventKind.WORK_ITEM_CANCELLED.value, "c") in kinds


def test_an_automatic_activity_withdrawn_before_its_turn_never_runs(engine: Engine) -> None:
    # 'a' alone makes the condition hold: 'b', created with it, is withdrawn unrun
    iid = _set(engine, "abc", completion="n >= 1")
    assert engine.instance(iid).data["n"] == 1
    assert _states(engine, iid) == {
        "a": ActivityState.COMPLETED.value,
        "b": ActivityState.ABORTED.value,
        "c": ActivityState.ABORTED.value,
    }


def test_a_set_whose_condition_never_holds_waits_for_the_person(engine: Engine) -> None:
    iid = _set(engine, "abc", completion="n >= 5")
    [item] = engine.work_items(iid)
    assert item.activity_id == "c"
    engine.complete_work_item(item.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert _states(engine, iid) == dict.fromkeys("abc", ActivityState.COMPLETED.value)
