"""Id generators for process instances and work items.

The default is sequential per kind (``pi-1``, ``pi-2``, ``wi-1``): deterministic, so two runs
of the same input produce the same ids and traces. Hosts that share a database between engine
processes use :class:`UuidIds`. Activity-instance ids are derived from their process
instance's id and a per-instance counter (``pi-1:7``), so they need no generator call on the
hot path and are unique whenever instance ids are.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from typing import Protocol, runtime_checkable


@runtime_checkable
class IdGenerator(Protocol):
    """Where the engine gets ids for the records it creates (instances, work items,
    timers, ...): injectable so tests can use readable sequential ids."""

    def new(self, kind: str) -> str:
        """A fresh id for an object of ``kind`` (``"pi"`` instance, ``"wi"`` work item, ...)."""
        ...


class SequentialIds:
    """``{kind}-{n}`` with one counter per kind, starting at 1.

    Safe from several threads: what needs no engine command (a comment added through
    :func:`~wfengine.worklist.notes.notes_for`, engines of several threads on one memory
    store) takes ids from other threads too, and two that read a plain counter at once were
    given one id (a comment replaced another). Each counter is an :func:`itertools.count`,
    whose ``next`` is one step the interpreter does whole (under its global lock); a
    ``threading.Lock`` around the counter cost 0.35 us an id, about 1% of a short command."""

    def __init__(self) -> None:
        self._counters: dict[str, Iterator[int]] = {}

    def new(self, kind: str) -> str:
        counter = self._counters.get(kind)
        if counter is None:  # (setdefault: one counter, however many threads ask first)
            counter = self._counters.setdefault(kind, itertools.count(1))
        return f"{kind}-{next(counter)}"


class UuidIds:
    """Random UUID4 ids, prefixed by kind: unique across processes and machines."""

    def new(self, kind: str) -> str:
        return f"{kind}-{uuid.uuid4().hex}"
