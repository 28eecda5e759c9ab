"""Scopes share one empty set of pending joins and one empty list of timers until they have
some (:mod:`wfengine.runtime.empty_defaults`): a writer gives its scope its own, and nothing
changes the shared ones."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.runtime.empty_defaults import NO_PENDING, NO_SCOPE_TIMERS
from wfengine.runtime.navigation.joins import own_pending


def _or_join() -> PackageBuilder:
    # st (AND) -> b (person) -> m (OR join) -> z; st -> m: m waits for b's token
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("st", split="Parallel")
    p.activity("b", performer="clerk").activity("m", join="Inclusive").activity("z")
    p.transition("st", "b").transition("st", "m").transition("b", "m").transition("m", "z")
    return pb


def test_the_shared_empties_refuse_changes() -> None:
    with pytest.raises(TypeError):
        NO_PENDING.add(1)
    with pytest.raises(TypeError):
        NO_PENDING.clear()
    with pytest.raises(TypeError):
        NO_SCOPE_TIMERS.append("t-1")
    assert not NO_PENDING and not NO_SCOPE_TIMERS


def test_a_pending_join_gets_a_set_of_its_scope_and_leaves_the_shared_one_empty() -> None:
    engine = Engine()
    engine.deploy(_or_join().build())
    first, second = engine.start_process("main"), engine.start_process("main")
    held = engine.store.instance(first).root  # type: ignore[attr-defined]
    other = engine.store.instance(second).root  # type: ignore[attr-defined]
    assert held.pending and held.pending is not other.pending
    assert type(held.pending) is set and not NO_PENDING
    (b,) = engine.work_items(first)
    engine.complete_work_item(b.id)
    assert engine.trace(first)[-2:] == ["m", "z"]
    assert engine.instance(first).state == "closed.completed"
    assert held.pending is NO_PENDING and not NO_PENDING  # closed: the shared empty again


def test_own_pending_makes_the_set_once() -> None:
    engine = Engine()
    engine.deploy(_or_join().build())
    root = engine.store.instance(engine.start_process("main")).root  # type: ignore[attr-defined]
    root.pending = NO_PENDING
    made = own_pending(root)
    assert made is root.pending and type(made) is set and made is not NO_PENDING
    assert own_pending(root) is made
