"""The memory store keeps a closed instance's trace and retired activity instances as tuples
of plain values, which the garbage collector stops tracking
(:func:`~wfengine.runtime.memory_history._sealed`); they read back as before, and grow again
(as lists) if a closed instance's history ever does."""

from __future__ import annotations

import gc

from wfengine import Engine, PackageBuilder
from wfengine.runtime.memory_store import MemoryStore
from wfengine.runtime.states import ActivityState


def _engine() -> tuple[Engine, MemoryStore]:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("a")
    p.activity("b", performer="clerk")
    p.activity("c")
    p.transition("a", "b").transition("b", "c")
    engine = Engine()
    engine.deploy(pb.build())
    assert isinstance(engine.store, MemoryStore)
    return engine, engine.store


def test_a_closed_instances_history_is_sealed_and_reads_as_before() -> None:
    engine, store = _engine()
    pi = engine.start_process("main")
    (item,) = engine.work_items(pi)
    assert type(store._history._traces[pi]) is list  # open: a list, still growing
    engine.complete_work_item(item.id)
    assert engine.trace(pi) == ["a", "b", "c"]
    done = store.activity_history(pi)
    assert [a.activity_id for a in done] == ["a", "b", "c"]
    assert all(a.state is ActivityState.COMPLETED for a in done)
    assert done[1].work_item_id == item.id
    traces, retired = store._history._traces[pi], store._history._retired[pi]
    assert type(traces) is tuple and type(retired) is tuple
    gc.collect()
    assert not gc.is_tracked(traces) and not gc.is_tracked(retired)


def test_a_sealed_history_grows_again() -> None:
    engine, store = _engine()
    pi = engine.start_process("main")
    engine.complete_work_item(engine.work_items(pi)[0].id)
    inst = store.instance(pi)
    inst.trace = ["late"]  # (nothing closed adds to it today: the store must still take it)
    store._history.take(inst)
    assert store.trace(pi) == ["a", "b", "c", "late"]
    assert type(store._history._traces[pi]) is tuple  # sealed again: still closed
