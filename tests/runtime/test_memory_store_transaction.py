"""``engine.store.transaction(fn)`` on an engine without a database (the memory store) is
refused with a :class:`~wfengine.errors.StoreError` saying why and what to do.

Why: ``transaction`` is on the ``Store`` protocol (so a host's call type-checks, README's
"a host's own tables in the same database get the same with engine.store.transaction(fn)");
the memory store has no database to run ``fn`` in, and an AttributeError said nothing of
that."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import Engine, MemoryStore, PackageBuilder
from wfengine.errors import StoreError


def test_the_memory_store_refuses_a_transaction_naming_why() -> None:
    called: list[object] = []
    with pytest.raises(StoreError, match=r"in memory \(no db_url\).*Engine\(db_url="):
        Engine().store.transaction(called.append)
    assert called == []  # fn is never run


class _Forwarding:
    """A host's own store written to the protocol before ``transaction`` joined it."""

    def __init__(self, inner: MemoryStore) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        if name == "transaction":
            raise AttributeError(name)
        return getattr(self._inner, name)


def test_a_hosts_store_without_transaction_still_makes_an_engine() -> None:
    # the engine never calls transaction (only a host does, for its own tables): a store
    # lacking it is not refused as no Store
    with Engine(store=_Forwarding(MemoryStore())) as engine:  # type: ignore[arg-type]
        pb = PackageBuilder("pkg")
        pb.process("p").start("s")
        engine.deploy(pb.build())
        assert engine.instance(engine.start_process("p")).state.value == "closed.completed"
