"""What stays of an engine once it is closed or dropped.

- A command asked of a closed engine ran: a SQL store quietly reopened its connections (and
  the SQLite ``-wal``/``-shm`` files), while its virtual clock no longer fired its timers. It
  is now refused, as a WAPI session on a closed engine is.
- A ``VirtualClock`` shared by many engines (a test fixture's, a host restarting engines)
  kept every one alive, closed or dropped, with all its memory store held, and called every
  dead one at each move.
- ``outbox.unsubscribe(listener.on_entry)`` removed nothing: a bound method is a new object
  each time it is written (equal to the one subscribed, never the same).
"""

from __future__ import annotations

import gc
import weakref
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, IllegalStateError, PackageBuilder, VirtualClock
from wfengine.runtime.outbox import OutboxKind


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("work", performer="clerk")
    return pb


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_closed_engine_refuses_commands(store: str, tmp_path: Path) -> None:
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    engine = Engine(db_url=url)
    engine.deploy(_package().build())
    engine.close()
    with pytest.raises(IllegalStateError, match=r"cannot run this engine: it is closed"):
        engine.start_process("main")
    if url is not None:
        assert not (tmp_path / "wf.db-wal").exists()  # no connection was reopened


def test_a_virtual_clock_keeps_no_closed_or_dropped_engine_alive() -> None:
    clock = VirtualClock()
    closed: list[weakref.ref[Engine]] = []
    for _ in range(20):
        with Engine(clock=clock) as engine:
            engine.deploy(_package().build())
            engine.start_process("main")
            closed.append(weakref.ref(engine))
    dropped = Engine(clock=clock)
    dropped_ref = weakref.ref(dropped)
    del engine, dropped
    gc.collect()
    assert [r() for r in closed] == [None] * 20
    assert dropped_ref() is None
    clock.advance(timedelta(hours=1))  # (nothing dead is called)


def test_a_closed_engine_on_a_shared_clock_is_no_longer_called() -> None:
    clock = VirtualClock()
    with Engine(clock=clock) as live:
        other = Engine(clock=clock)
        other.close()
        clock.advance(timedelta(minutes=1))  # would raise: the closed engine refuses
        assert live.clock.now() == clock.now()


def test_a_bound_method_handler_is_unsubscribed() -> None:
    class Listener:
        def __init__(self) -> None:
            self.seen: list[Any] = []

        def on_entry(self, entry: Any) -> None:
            self.seen.append(entry)

    with Engine() as engine:
        listener = Listener()
        kinds = [OutboxKind.WORK_ITEM_OFFERED]
        for _ in range(3):
            engine.outbox.subscribe(listener.on_entry, kinds)
            engine.outbox.unsubscribe(listener.on_entry)
        assert engine.outbox.handlers.handlers(OutboxKind.WORK_ITEM_OFFERED) == []


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_closed_engine_claims_no_job_and_delivers_nothing(store: str, tmp_path: Path) -> None:
    """``run_due_jobs`` on a closed engine claimed the job (reopening the store), then logged
    a false failure, used up an attempt and backed the job off."""
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    engine = Engine(db_url=url, defer_automatic=True)
    engine.deploy(_package().build())
    engine.start_process("main")
    [job] = engine.jobs()
    engine.close()
    for call in (engine.run_due_jobs, engine.fire_due_timers, engine.outbox.deliver):
        with pytest.raises(IllegalStateError, match="it is closed"):
            call()
    with Engine(db_url=url) if url else _same(engine) as reader:
        [after] = reader.jobs() if url else engine.store.jobs()
        assert (after.attempts, after.due) == (job.attempts, job.due)


def _same(engine: Engine) -> Any:
    """The memory store's jobs are read from the closed engine's store (nothing reopens)."""
    import contextlib

    return contextlib.nullcontext(engine)


def test_a_clock_holds_a_plain_subscriber_as_given() -> None:
    """Only engines subscribe weakly: a bound method whose object nothing else keeps still
    hears the clock (it was collected at once, silently)."""
    ticks: list[int] = []

    class Ticker:
        def tick(self) -> None:
            ticks.append(1)

    clock = VirtualClock()
    clock.subscribe(Ticker().tick)
    gc.collect()
    clock.advance(timedelta(seconds=1))
    assert ticks == [1]


def test_an_engine_shows_its_store_and_whether_it_is_closed(tmp_path: Path) -> None:
    """``repr(engine)`` was ``<...Engine object at 0x...>``: a host's log said nothing of
    which database the engine works on, nor that it was closed."""
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    engine = Engine(db_url=url)
    assert repr(engine) == f"Engine(SqlStore({url!r}))"
    engine.close()
    assert repr(engine) == f"Engine(SqlStore({url!r}), closed)"
    with Engine() as memory:
        assert repr(memory) == "Engine(memory://)"
