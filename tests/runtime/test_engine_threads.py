"""Job runs and timers of an engine whose command another thread holds.

An engine serves one thread at a time. What went wrong before:

* a :class:`VirtualClock` shared by engines of several threads (a Worker's, each its own, as
  the README says) ran every engine's timers in the thread moving it: the timer of an engine
  whose own thread was in a command failed (an incident, or a back-off: the timer late), and
  an engine closed while the clock moved raised ``IllegalStateError`` out of ``advance``;
* ``run_due_jobs`` from a second thread claimed the due jobs, called an asynchronous
  application, and then its refused command dropped the answer (called again later) and
  backed the job off;
* a job claimed just before another thread took the engine failed as if it had run.

Now a job run asks before it claims (``EngineInUseError``, nothing changed), a job claimed
and then refused goes back unrun, and the clock leaves the timers of a busy engine to its
own thread, which fires them after its command.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from wfengine import Engine, EngineInUseError, IllegalStateError, PackageBuilder, VirtualClock
from wfengine.runtime.engine_threads import firing_elsewhere


def _package() -> PackageBuilder:
    """``hold``: a command that waits inside its application; ``timed``: a 30-minute timer;
    ``later``: an asynchronous application's call (a due job)."""
    pb = PackageBuilder("t")
    pb.application("hold")
    pb.application("notify")
    p = pb.process("hold")
    p.start("s").activity("x", tool="hold").end("e").sequence("s", "x", "e")
    q = pb.process("timed")
    q.start("s").intermediate("wait", timer="PT30M").activity("h", performer="clerk").end("e")
    q.sequence("s", "wait", "h", "e")
    r = pb.process("later")
    r.start("s").activity("n", tool="notify").end("e").sequence("s", "n", "e")
    return pb


class _Holder:
    """Runs a command of ``engine`` in another thread, held inside its application until
    :meth:`release`; the thread then ends."""

    def __init__(self, engine: Engine) -> None:
        self.inside = threading.Event()
        self._release = threading.Event()
        self.failed: list[BaseException] = []
        engine.applications.register("hold", self._hold)
        self._thread = threading.Thread(target=self._run, args=(engine,))

    def _hold(self) -> dict[str, Any]:
        self.inside.set()
        assert self._release.wait(30)
        return {}

    def _run(self, engine: Engine) -> None:
        try:
            engine.start_process("hold")
        except BaseException as exc:
            self.failed.append(exc)

    def start(self) -> None:
        self._thread.start()
        assert self.inside.wait(30)

    def release(self) -> None:
        self._release.set()
        self._thread.join(30)
        assert self.failed == []


@pytest.fixture
def calls() -> list[str]:
    return []


@pytest.fixture
def engine(calls: list[str]) -> Iterator[Engine]:
    engine = Engine(clock=VirtualClock())
    engine.applications.register("notify", lambda: calls.append("called") or {}, asynchronous=True)
    engine.deploy(_package().build())
    yield engine
    engine.close()


def test_a_clock_moved_in_another_thread_leaves_a_busy_engines_timers_to_its_thread(
    engine: Engine,
) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    pi = engine.start_process("timed")
    holder = _Holder(engine)
    holder.start()  # the engine's own thread is inside a command

    clock.advance(timedelta(hours=1))  # the timer is due: not raised, not failed here

    assert engine.incidents(pi) == []
    [job] = engine.jobs(pi)
    assert (job.attempts, job.lock_owner) == (0, None)  # not claimed, not backed off
    holder.release()  # its command ends: its thread fires the timer
    assert engine.trace(pi) == ["s", "wait"]
    assert [w.activity_id for w in engine.work_items(pi)] == ["h"]


def test_a_clock_move_that_reaches_an_engine_closed_meanwhile_fires_nothing() -> None:
    """The clock lists its subscribers, then calls them: one closed in between (a Worker's
    thread ending) was called and raised IllegalStateError out of ``advance``."""
    clock = VirtualClock()
    made: list[Engine] = []
    clock.subscribe(lambda: made[0].close())  # called first, as another thread's close
    engine = Engine(clock=clock)
    made.append(engine)
    engine.deploy(_package().build())
    engine.start_process("timed")

    clock.advance(timedelta(hours=1))

    assert engine.closed
    with pytest.raises(IllegalStateError, match="closed"):  # asked directly: refused
        engine.fire_due_timers()


def test_run_due_jobs_from_a_second_thread_is_refused_before_it_claims(
    engine: Engine, calls: list[str]
) -> None:
    pi = engine.start_process("later")
    [before] = engine.jobs(pi)
    holder = _Holder(engine)
    holder.start()

    with pytest.raises(EngineInUseError, match="another thread"):
        engine.run_due_jobs()

    assert calls == []  # the application was not called for an answer it could not apply
    [job] = engine.jobs(pi)
    assert (job.due, job.attempts, job.lock_owner) == (before.due, before.attempts, None)
    holder.release()
    assert engine.run_due_jobs() == 1
    assert calls == ["called"]
    assert engine.incidents(pi) == []


def test_a_job_claimed_as_another_thread_takes_the_engine_goes_back_unrun(
    engine: Engine,
) -> None:
    """The other thread's command begins between the claim and the job's own command (the
    job observer's ``start`` is that moment): the job goes back as it was, no attempt used
    and no back-off, and the jobs claimed after it too."""
    first, second = (engine.start_process("timed", defer=True) for _ in range(2))
    before = {j.id: (j.due, j.attempts) for j in engine.jobs()}
    holder = _Holder(engine)
    engine.job_observer = _on_first_start(holder.start)

    with pytest.raises(EngineInUseError, match="another thread"):
        engine.run_due_jobs()

    assert {j.id: (j.due, j.attempts) for j in engine.jobs()} == before
    assert all(j.lock_owner is None for j in engine.jobs())
    assert engine.incidents() == []
    holder.release()
    engine.job_observer = None
    assert engine.run_due_jobs() == 2
    assert engine.trace(first) == engine.trace(second) == ["s"]  # at the timer now


def test_a_job_run_leaves_the_engine_to_a_clock_firing_its_timers_in_another_thread(
    engine: Engine,
) -> None:
    """A Worker thread's engine whose timers a clock moved elsewhere is firing: the worker's
    own run finds nothing to do (0) instead of failing (which ended the Worker)."""
    engine.start_process("later")
    seen: list[tuple[bool, int]] = []
    holder = _Holder(engine)
    engine._firing_thread = -1  # (as fire_due_timers marks the thread firing)
    holder.start()
    try:
        seen.append((firing_elsewhere(engine), engine.run_due_jobs()))
        seen.append((True, engine.deliver_outbox()))
    finally:
        engine._firing_thread = 0
        holder.release()
    assert seen == [(True, 0), (True, 0)]


def _on_first_start(act: Callable[[], None]) -> Callable[[str, str, list[Any]], None]:
    """A job observer that calls ``act`` as the first job starts."""
    done: list[bool] = []

    def observe(event: str, owner: str, jobs: list[Any]) -> None:
        if event == "start" and not done:
            done.append(True)
            act()

    return observe


def test_delivering_from_a_second_thread_is_refused_as_any_command_is(engine: Engine) -> None:
    """It said "the outbox is delivered after a command commits, not inside one": not what
    the caller did (its thread was in no command)."""
    holder = _Holder(engine)
    holder.start()
    with pytest.raises(EngineInUseError, match="another thread"):
        engine.deliver_outbox()
    holder.release()
    assert engine.deliver_outbox() >= 0
