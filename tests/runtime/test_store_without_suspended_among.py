"""A host's own store written to the Store protocol before ``suspended_among`` joined it (a
wrapper forwarding every method it knew) still makes an Engine: the method is optional, and
the work list marks are read through ``instance_summary`` instead. Before, ``Engine(store=...)``
refused it as no Store."""

from __future__ import annotations

from typing import Any

from wfengine import Engine, MemoryStore, PackageBuilder


class _Forwarding:
    """Every method of the wrapped store but ``suspended_among``."""

    def __init__(self, inner: MemoryStore) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        if name == "suspended_among":
            raise AttributeError(name)
        return getattr(self._inner, name)


def test_a_store_without_suspended_among_makes_an_engine_and_marks_work() -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.process("p").activity("w", performer="clerk")
    with Engine(store=_Forwarding(MemoryStore())) as engine:  # type: ignore[arg-type]
        engine.deploy(pb.build())
        held, running = engine.start_process("p"), engine.start_process("p")
        engine.suspend(held)
        marks = {w.instance_id: w.suspended for w in engine.work_items()}
        assert marks == {held: True, running: False}
        assert [w.suspended for w in engine.work_items_of("clerk")] == [True, False]
