"""Short ids that stay unique across restarts and engine processes sharing a database.

Sequential ids (``pi-1``) would collide when a second engine, or the same one restarted,
counts from 1 again; UUIDs are unique but unwieldy on a command line. So each engine takes
*blocks* of numbers per kind from the ``id_blocks`` table (one short transaction per block,
an atomic ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``) and hands them out locally:
``pi-101``, ``pi-102``, ... Numbers skipped when an engine stops mid-block are never reused.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from wfengine.runtime.sql.after_fork import renew_in_child


class BlockIds:
    """``{kind}-{n}`` with ``n`` from blocks of ``block`` numbers that ``reserve`` hands out.

    ``reserve(kind, block)`` returns the last number of a freshly reserved block.

    Safe from several threads (a comment added through ``notes_for`` takes an id outside any
    engine command): two that read a block's next number at once were given one id. A block
    reserved while the lock is held makes the others wait for that one short transaction.

    A process forked from this one forgets the blocks (:meth:`after_fork`): parent and child
    each handed out their numbers, and the second commit of ``pi-101`` was refused.
    """

    def __init__(self, reserve: Callable[[str, int], int], block: int = 100) -> None:
        self._reserve = reserve
        self._block = block
        #: kind -> [next number, last number of the block]
        self._ranges: dict[str, list[int]] = {}
        self._lock = threading.Lock()
        renew_in_child(self)

    def after_fork(self) -> None:
        """In a child forked from this process: reserve blocks of its own (the parent hands
        out the rest of its blocks)."""
        self._ranges = {}
        self._lock = threading.Lock()

    def new(self, kind: str) -> str:
        with self._lock:
            r = self._ranges.get(kind)
            if r is None or r[0] > r[1]:
                last = self._reserve(kind, self._block)
                r = self._ranges[kind] = [last - self._block + 1, last]
            n = r[0]
            r[0] = n + 1
        return f"{kind}-{n}"
