"""A host's own store that lacks a method of the Store protocol is refused when the engine is
made, naming every missing method. Why: the check named four methods only, so a store
written before the engine called ``deployed_versions`` (a signal broadcast) or
``first_due_after`` (a virtual clock's run) was taken and failed mid-command with a bare
``AttributeError``."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import Engine, MemoryStore, PackageBuilder
from wfengine.runtime.store import Store

_OLDER = ("deployed_versions", "first_due_after")


class _Forwarding:
    """A host's wrapper: forwards every method to a MemoryStore, but those of ``hidden``."""

    def __init__(self, hidden: tuple[str, ...] = ()) -> None:
        self._inner = MemoryStore()
        self._hidden = hidden

    def __getattr__(self, name: str) -> Any:
        if name in self._hidden:
            raise AttributeError(name)
        return getattr(self._inner, name)


def test_a_store_lacking_newer_methods_is_refused_naming_each() -> None:
    with pytest.raises(
        TypeError,
        match=r"is a Store.*no deployed_versions\(\), first_due_after\(\).*Store protocol",
    ):
        Engine(store=_Forwarding(_OLDER))  # type: ignore[arg-type]


def test_a_wrapper_forwarding_every_method_is_taken() -> None:
    with Engine(store=_Forwarding()) as engine:  # type: ignore[arg-type]
        pb = PackageBuilder("pkg")
        pb.process("p").activity("a")
        engine.deploy(pb.build())
        engine.start_process("p")
        assert engine.broadcast_signal("nobody waits") == 0


class _Subclassed(MemoryStore, Store):
    """A store that names the protocol as a base: an unwritten method is the protocol's stub."""


def test_the_protocols_own_stub_is_not_a_method() -> None:
    class Partial(Store):
        def unit(self) -> Any:
            return MemoryStore().unit()

    with pytest.raises(TypeError, match=r"has no id_generator\(\), close\(\)"):
        Engine(store=Partial())
    Engine(store=_Subclassed()).close()


@pytest.mark.parametrize("missing", ["close", "commit", "next_outbox_at"])
def test_any_one_missing_method_is_named(missing: str) -> None:
    with pytest.raises(TypeError, match=rf"has no {missing}\(\):"):
        Engine(store=_Forwarding((missing,)))  # type: ignore[arg-type]
