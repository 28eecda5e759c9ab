"""One work list fetched from in several threads hands out each item once, as its docstring
has it. Two threads that found its buffer empty both read the batch after the same item and
handed out its items twice each (SQLite: 871 fetches for 450 items).

The threads are driven by progress, not by time: the first batch read waits until every other
thread has asked for its fetch's turn (or, without one, reached the store itself), so each of
them meets the list while that batch is being read."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.runtime.snapshots import WorkItemSnapshot
from wfengine.wapi import connect
from wfengine.wapi.session import WorkList

_THREADS = 4
_ITEMS = 130  # more than one batch of 100


class _Arrivals:
    """Counts the threads that reached the list, and holds the first batch read until all
    of them have."""

    def __init__(self) -> None:
        self.count = threading.Semaphore(0)
        self.held = False
        self.lock = threading.Lock()

    def arrived(self) -> None:
        self.count.release()

    def hold_first(self) -> None:
        """The first batch read waits until every thread has reached the list (itself
        included); the others pass."""
        with self.lock:
            if self.held:
                return
            self.held = True
        for _ in range(_THREADS):
            assert self.count.acquire(timeout=60), "a thread never reached the list"


class _CountedTurn:
    """The list's own lock, noting a thread that asks for it (then waiting as it would)."""

    def __init__(self, turn: Any, arrivals: _Arrivals) -> None:
        self._turn, self._arrivals = turn, arrivals

    def __enter__(self) -> None:
        self._arrivals.arrived()
        self._turn.__enter__()

    def __exit__(self, *exc: object) -> None:
        self._turn.__exit__(*exc)


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_work_list_fetched_from_several_threads_hands_out_each_item_once(
    store: str, tmp_path: Path
) -> None:
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    with Engine(clock=VirtualClock(), db_url=url) as engine:
        pb = PackageBuilder("desk")
        p = pb.process("ticket")
        p.start("s").activity("answer", performer="clerk").end("e").sequence("s", "answer", "e")
        engine.deploy(pb.build())
        for _ in range(_ITEMS):
            engine.start_process("ticket")
        work = connect(engine, "clerk").open_work_list()
        arrivals = _Arrivals()
        _hold_the_first_batch(work, engine, arrivals)
        got: list[WorkItemSnapshot] = []
        failures: list[BaseException] = []

        def fetch_all() -> None:
            try:
                while (item := work.fetch()) is not None:
                    got.append(item)
            except BaseException as exc:  # reported below, in the test's thread
                failures.append(exc)
                raise

        threads = [threading.Thread(target=fetch_all) for _ in range(_THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        handed = Counter(item.id for item in got)
        assert [i for i, n in handed.items() if n > 1] == []
        assert len(handed) == _ITEMS


def _hold_the_first_batch(work: WorkList, engine: Engine, arrivals: _Arrivals) -> None:
    """Make the list's first batch read wait for the other threads: each notes its arrival
    when it asks for the fetch's turn or, where a fetch takes no turn, reads a batch."""
    turns = hasattr(work, "_turn")
    if turns:
        work._turn = _CountedTurn(work._turn, arrivals)  # type: ignore[assignment]
    read = engine.work_items_of

    def work_items_of(*args: Any, **kwargs: Any) -> list[WorkItemSnapshot]:
        if not turns:
            arrivals.arrived()
        arrivals.hold_first()
        return read(*args, **kwargs)

    engine.work_items_of = work_items_of  # type: ignore[method-assign]
