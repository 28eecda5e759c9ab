"""Id generators for process instances and work items.

The default is sequential per kind (``pi-1``, ``pi-2``, ``wi-1``): deterministic, so two runs
of the same input produce the same ids and traces. Hosts that share a database between engine
processes use :class:`UuidIds`. Activity-instance ids are derived from their process
instance's id and a per-instance counter (``pi-1:7``), so they need no generator call on the
hot path and are unique whenever instance ids are.
"""

from __future__ import annotations

import uuid
from typing import Protocol, runtime_checkable


@runtime_checkable
class IdGenerator(Protocol):
    """Where the engine gets ids for the records it creates (instances, work items,
    timers, ...): injectable so tests can use readable sequential ids."""

    def new(self, kind: str) -> str:
        """A fresh id for an object of ``kind`` (``"pi"`` instance, ``"wi"`` work item, ...)."""
        ...


class SequentialIds:
    """``{kind}-{n}`` with one counter per kind, starting at 1."""

    def __init__(self) -> None:
        self._counters: dict[str, int] = {}

    def new(self, kind: str) -> str:
        n = self._counters.get(kind, 0) + 1
        self._counters[kind] = n
        return f"{kind}-{n}"


class UuidIds:
    """Random UUID4 ids, prefixed by kind: unique across processes and machines."""

    def new(self, kind: str) -> str:
        return f"{kind}-{uuid.uuid4().hex}"
