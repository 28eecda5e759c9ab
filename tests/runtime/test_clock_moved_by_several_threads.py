"""A virtual clock moved by several threads at once (each with its own engine on one store,
as the README has it) makes every move, one after another, and fires each timer at its time.

Before, ``advance`` read the time and ``set`` stopped at the due times with nothing between
the threads: two threads advancing 25 minutes from one reading moved the clock 25 minutes
in all (three threads of six 25-minute moves moved it about four hours, not 7h30), and a stop
was overtaken by another thread's move, so timers fired late (01:01, the lease's end, for
01:00). Now a move waits for the one running in another thread, and starts where it ended.
Two moves do not wait: one from inside a move (a timer's application in a helper thread, a
binding with ``timeout=``) and one asked from inside an engine's command while another
thread moves the clock: that move may be waiting for the command (engines of several threads
on one ``MemoryStore`` take turns), so both would wait for ever.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, MemoryStore, PackageBuilder, SqlStore, VirtualClock
from wfengine.runtime.store import Store

START = datetime(2030, 1, 1, tzinfo=UTC)
#: how long a thread stuck by a regression (two moves waiting for each other) is given
#: before the test says so, rather than hanging the run
_GUARD = 60.0


def _ticking() -> PackageBuilder:
    """``tick``: a one-hour timer, then an end. ``work``: the application ``work`` (each
    test registers it); ``late_work``: the same behind a 30-minute timer."""
    pb = PackageBuilder("clock-threads")
    pb.application("work")
    p = pb.process("tick")
    p.start("s").intermediate("t", timer="PT1H").end("e").sequence("s", "t", "e")
    q = pb.process("work")
    q.start("s").activity("w", tool="work").end("e").sequence("s", "w", "e")
    r = pb.process("late_work")
    r.start("s").intermediate("t", timer="PT30M").activity("w", tool="work")
    r.end("e").sequence("s", "t", "w", "e")
    return pb


def _taking(clock: VirtualClock, span: timedelta) -> Callable[[], dict[str, Any]]:
    """An application whose work takes ``span``: it advances the clock so much."""

    def work() -> dict[str, Any]:
        clock.advance(span)
        return {}

    return work


def _fired_at(engine: Engine) -> list[datetime]:
    return [e.at for e in engine.audit_events() if e.kind == "timer.fired"]


def _run(*targets: Callable[[], object]) -> list[BaseException]:
    """Run each target in a thread of its own and wait for all; what they raised."""
    failed: list[BaseException] = []

    def guarded(target: Callable[[], object]) -> None:
        try:
            target()
        except BaseException as exc:
            failed.append(exc)

    threads = [threading.Thread(target=guarded, args=(t,), daemon=True) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(_GUARD)
    assert not any(t.is_alive() for t in threads), "the moves waited for each other"
    return failed


class _WatchedTurn:
    """The clock's turn lock, telling ``asked`` when a thread other than the first asks for
    it: the test then knows that thread is waiting (or, before the fix, has moved)."""

    def __init__(self, asked: threading.Event) -> None:
        self._lock = threading.Lock()
        self._asked = asked
        self._first = threading.get_ident()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if threading.get_ident() != self._first:
            self._asked.set()
        return self._lock.acquire(blocking, timeout)

    def release(self) -> None:
        self._lock.release()

    def locked(self) -> bool:
        return self._lock.locked()


def test_a_move_asked_while_another_thread_moves_follows_it() -> None:
    clock = VirtualClock(START)
    with Engine(clock=clock) as engine:
        engine.deploy(_ticking().build())
        engine.start_process("tick")
        due = START + timedelta(hours=1)
        progressed = threading.Event()
        clock._moving = _WatchedTurn(progressed)  # type: ignore[assignment]
        second: list[datetime] = []

        def at_the_stop() -> None:  # (the first thread's move stands at 01:00)
            if clock.now() == due and not second:
                second.append(clock.now())
                other = threading.Thread(target=second_thread)
                other.start()
                progressed.wait(_GUARD)  # it waits for this move (before: it made its own)
                threads.append(other)

        def second_thread() -> None:
            second.append(clock.advance(step))
            progressed.set()  # (before the fix: its move made, within the first's)

        step = timedelta(minutes=25)
        threads: list[threading.Thread] = []
        clock.subscribe(at_the_stop)
        first = clock.advance(timedelta(minutes=90))
        for thread in threads:
            thread.join(_GUARD)
        assert first == START + timedelta(minutes=90)  # its whole move, nothing cut short
        assert second[1] == clock.now() == START + timedelta(minutes=90) + step
        assert _fired_at(engine) == [due]


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_threads_of_one_clock_move_it_by_all_their_moves(kind: str, tmp_path: Path) -> None:
    store: Store = MemoryStore() if kind == "memory" else SqlStore(f"sqlite:///{tmp_path}/w.db")
    clock = VirtualClock(START)
    with Engine(store=store, clock=clock) as engine:
        engine.deploy(_ticking().build())
        ready = threading.Barrier(3)

        def thread_of_its_own() -> None:
            with Engine(store=store, clock=clock) as own:
                for _ in range(3):
                    own.start_process("tick")
                ready.wait(_GUARD)
                for _ in range(4):
                    clock.advance(timedelta(minutes=25))

        assert _run(thread_of_its_own, thread_of_its_own, thread_of_its_own) == []
        assert clock.now() == START + 12 * timedelta(minutes=25)
        assert _fired_at(engine) == [START + timedelta(hours=1)] * 9


def test_an_application_moving_the_clock_while_another_thread_moves_it_goes_on() -> None:
    """Thread B's command (on a shared ``MemoryStore``, holding its turn) advances the clock
    while thread A's move stands at a due time, about to fire A's engine's timer: that firing
    waits for B's command, so B's move is made within A's, at once, as a move from inside a
    move is (had it waited for A's move, each would wait for the other for ever here:
    ``turn_timeout=None``)."""
    store = MemoryStore(turn_timeout=None)
    clock = VirtualClock(START)
    due = START + timedelta(hours=1)
    b_inside, a_moving = threading.Event(), threading.Event()
    clock.subscribe(lambda: a_moving.set() if clock.now() == due else None)  # (called first)
    engine_a, engine_b = Engine(store=store, clock=clock), Engine(store=store, clock=clock)
    moved: list[datetime] = []

    def work() -> dict[str, Any]:  # (B's application: the work takes two hours)
        b_inside.set()
        a_moving.wait(_GUARD)
        moved.append(clock.advance(timedelta(hours=2)))
        return {}

    engine_b.applications.register("work", work)
    engine_a.deploy(_ticking().build())
    engine_a.start_process("tick")

    def thread_a() -> None:
        b_inside.wait(_GUARD)
        moved.append(clock.advance(timedelta(hours=1)))  # (stands at 01:00: the tick's due)

    failed = _run(lambda: engine_b.start_process("work"), thread_a)  # (stuck: not closed)
    engine_a.close()
    engine_b.close()
    assert failed == []
    assert clock.now() == due + timedelta(hours=2)
    assert moved == [clock.now()] * 2  # B's move, then A's, each returning where it is
    assert len(_fired_at(engine_a)) == 1  # the tick's timer, once (in B's move, within A's)


def test_an_application_in_a_helper_thread_moving_the_clock_within_a_move() -> None:
    """A timer's next application, bound with ``timeout=``, runs in a helper thread and
    advances the clock: that move is part of the one that fired the timer (which waits for
    the helper), not a second thread's move to wait for."""
    clock = VirtualClock(START)
    with Engine(clock=clock) as engine:
        engine.applications.register("work", _taking(clock, timedelta(hours=2)), timeout=30)
        engine.deploy(_ticking().build())
        iid = engine.start_process("late_work")
        done: list[datetime] = []
        assert _run(lambda: done.append(clock.advance(timedelta(hours=1)))) == []
        assert done == [clock.now()] == [START + timedelta(minutes=30) + timedelta(hours=2)]
        assert engine.instance(iid).state.value == "closed.completed"
