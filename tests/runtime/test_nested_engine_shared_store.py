"""An application of one engine calling a second engine that shares its store (``Engine(store=
a.store)``), inside the first engine's command.

On a SQL store the second engine's command joined the first one's unit of work: it read the
first command's half-done instance from the unit's identity map and committed it (the call
audited as invoked, never as answered); the first command then lost its race and failed with a
``KeyError``, the instance left half-written. The second command now has a unit of its own: it
reads and commits what is stored, as an engine on a store of its own does.
"""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.errors import ConcurrencyError
from wfengine.runtime.engine import Engine
from wfengine.runtime.memory_store import MemoryStore


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("v", "INTEGER", initial="0").data_field("out", "INTEGER")
    p.application("poke", params=[("x", "IN", "INTEGER"), ("out", "OUT", "INTEGER")])
    p.activity("w", performer="clerk").activity("call", tool="poke", args=["v", "out"])
    p.activity("e").transition("w", "call").transition("call", "e")
    return pb


def _engines(engine: Engine, target: dict[str, str]) -> Engine:
    """``engine`` with ``poke`` bound to set ``v`` of ``target["iid"]`` through a second
    engine on its store; returns the second engine."""
    second = Engine(store=engine.store, clock=engine.clock)

    def poke(x: int) -> dict[str, Any]:
        second.set_data(target["iid"], {"v": 7})
        return {"out": x + 1}

    engine.applications.register("poke", poke)
    engine.deploy(_package().build())
    return second


def test_a_second_engine_changing_another_instance_inside_a_command(engine: Engine) -> None:
    target: dict[str, str] = {}
    _engines(engine, target)
    iid, other = engine.start_process("main"), engine.start_process("main")
    target["iid"] = other
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    assert engine.instance(iid).state.value == "closed.completed"
    assert engine.instance(iid).data["out"] == 1
    assert engine.instance(other).data["v"] == 7
    kinds = [e.kind for e in engine.audit(iid) if e.activity_id == "call"]
    assert "application.returned" in kinds


def test_a_second_engine_changing_the_calling_instance_inside_its_command(
    engine: Engine,
) -> None:
    """The first command reads an instance the second one changed meanwhile: on a SQL store
    it loses its race each time and says so, and what is stored is whole (the second
    engine's change, the work item still open, every call audited as answered and
    discarded); the memory store's commands share its one state and the first goes on."""
    target: dict[str, str] = {}
    _engines(engine, target)
    iid = engine.start_process("main")
    target["iid"] = iid
    [item] = engine.work_items(iid)
    if isinstance(engine.store, MemoryStore):
        engine.complete_work_item(item.id)
        assert engine.instance(iid).state.value == "closed.completed"
        assert engine.instance(iid).data["v"] == 7
        return
    with pytest.raises(ConcurrencyError, match="changed by another engine"):
        engine.complete_work_item(item.id)
    inst = engine.instance(iid)
    assert inst.state.value == "open.running" and inst.data["v"] == 7
    assert [i.id for i in engine.work_items(iid)] == [item.id]  # still to do
    calls = [e.kind for e in engine.audit(iid) if e.activity_id == "call"]
    assert calls and calls.count("application.invoked") == calls.count("application.returned")
    assert "activity.started" not in calls  # nothing of the first command was stored
