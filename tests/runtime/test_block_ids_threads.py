"""Block ids (the SQL stores') taken from several threads at once: two that read a block's
next number at the same moment were given one id (a comment added through ``notes_for``
takes an id outside any engine command). Now each id is handed out once. The first thread
is stopped right after it read the next number, until the second has come for an id."""

from __future__ import annotations

import threading
from typing import Any

from wfengine.runtime.sql.ids import BlockIds


class _Stalling(list):  # type: ignore[type-arg]
    """A block ``[next, last]`` whose second read of ``next`` in the thread named ``first``
    (the read that takes the number) waits, once it has read, until ``go``."""

    def __init__(self, values: list[int]) -> None:
        super().__init__(values)
        self.reads = 0
        self.looked = threading.Event()
        self.go = threading.Event()

    def __getitem__(self, index: Any) -> Any:
        found = super().__getitem__(index)
        if threading.current_thread().name == "first" and index == 0:
            self.reads += 1
            if self.reads == 2:
                self.looked.set()
                assert self.go.wait(30)
        return found


class _Watched:
    """The ids' lock, saying when a second thread waits for it."""

    def __init__(self, met: threading.Event) -> None:
        self._lock = threading.Lock()
        self._met = met

    def __enter__(self) -> None:
        if not self._lock.acquire(blocking=False):
            self._met.set()
            self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


def test_two_threads_taking_a_block_id_at_once_get_two_ids() -> None:
    reserved = iter([100, 200])
    ids = BlockIds(lambda kind, block: next(reserved))
    assert ids.new("pi") == "pi-1"
    block = ids._ranges["pi"] = _Stalling(ids._ranges["pi"])
    met = threading.Event()  # the second thread met the first (or, unguarded, got through)
    ids._lock = _Watched(met)  # type: ignore[assignment]
    got: list[str] = []

    def take() -> None:
        try:
            got.append(ids.new("pi"))
        finally:
            met.set()

    first = threading.Thread(target=lambda: got.append(ids.new("pi")), name="first")
    first.start()
    assert block.looked.wait(30)
    second = threading.Thread(target=take, name="second")
    second.start()
    assert met.wait(30)
    block.go.set()
    first.join(30)
    second.join(30)

    assert sorted(got) == ["pi-2", "pi-3"]
    assert ids.new("pi") == "pi-4"
