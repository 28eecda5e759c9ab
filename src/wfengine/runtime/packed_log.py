"""Append-only logs of plain values that pack their older part out of the collector's way.

The memory store keeps each instance's history (audit events, retired activity instances,
trace) as flat lists of plain values (see :mod:`wfengine.runtime.memory_history`). A long run
makes those lists long, and the garbage collector pays for them on every full pass: it
follows each item of a list it tracks, and tracks for as long as the store keeps it every
audit detail that holds a container (an application call's inputs and outputs). In a loop of
a million iterations that made an iteration a third dearer than in a loop of a thousand, and
the run took 1.2 GB.

A log stays a plain list while it is short (most are: the history of a short instance costs
nothing more to write or to read, and no object more for the collector). An owner extends it
and, once ``len(log)`` reaches :data:`PACK_AT`, replaces it with :func:`pack`'s answer: a
:class:`PackedLog`, whose older values are pickled in chunks (one bytes object each, which the
collector does not track) and whose newest ones are a list the owner goes on extending.
Reading unpickles the chunks in order. The pickles are the store's own values, made and read
in the same process: nothing from outside is ever unpickled.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

#: how many values a log holds unpacked before they are packed (a chunk of a few hundred
#: kilobytes: about 4,000 audit events, or 1,800 activity instances)
PACK_AT = 20_480


class PackedLog:
    """A long log: its packed chunks, oldest first, then the values added since."""

    __slots__ = ("chunks", "tail")

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.tail: list[Any] = []

    def extend(self, values: Iterable[Any]) -> None:
        self.tail.extend(values)

    def __len__(self) -> int:
        """The values not packed yet (what an owner compares with PACK_AT)."""
        return len(self.tail)

    def __bool__(self) -> bool:
        return True  # it has packed values

    def __iter__(self) -> Iterator[Any]:
        return chain(*map(pickle.loads, self.chunks), self.tail)


#: what a store keeps per instance: a list while short, packed once long
Log = list[Any] | PackedLog


def pack(log: Log) -> PackedLog:
    """``log`` with its unpacked values packed into a chunk (a list becomes a PackedLog)."""
    if isinstance(log, list):
        packed, values = PackedLog(), log
    else:
        packed, values = log, log.tail
    packed.chunks.append(pickle.dumps(values, pickle.HIGHEST_PROTOCOL))
    packed.tail = []
    return packed
