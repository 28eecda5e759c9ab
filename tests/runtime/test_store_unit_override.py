"""A store whose class has a ``unit()`` of its own (a ``MemoryStore`` subclass, a wrapper
forwarding to one) has it entered by every command: the engine takes the memory store's
turn lock directly only for the memory store's own ``unit()`` (a host that counts, logs or
guards its store's units relies on it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from wfengine import Engine, MemoryStore, PackageBuilder


class _Counting(MemoryStore):
    def __init__(self) -> None:
        super().__init__()
        self.units = 0

    @contextmanager
    def unit(self) -> Iterator[None]:
        self.units += 1
        with super().unit():
            yield


class _Wrapper:
    def __init__(self) -> None:
        self._inner = MemoryStore()
        self.units = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    @contextmanager
    def unit(self) -> Iterator[None]:
        self.units += 1
        with self._inner.unit():
            yield


@pytest.mark.parametrize("make", [_Counting, _Wrapper])
def test_every_command_enters_the_stores_own_unit(make: Any) -> None:
    store = make()
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.process("p").activity("w", performer="clerk")
    with Engine(store=store) as engine:
        engine.deploy(pb.build())
        store.units = 0
        iid = engine.start_process("p")
        engine.complete_work_item(engine.work_items(iid)[0].id)
        assert store.units >= 2  # the start's and the completion's
        assert engine.instance(iid).state.value == "closed.completed"
