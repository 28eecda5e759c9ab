"""A database outage while a worker commits an asynchronous application's answer.

The answer exists (the application was called, and that call is audited only by the commit of
its answer): dropped when that commit found the database gone, the job ran again and called a
second time with no trace of the first call. It is kept and applied once the database is back,
as an answer losing races is; a stop asked first audits it as discarded.

Only a long-running worker, which has a stop of its own, waits as long as the outage lasts: a
script (``run_due_jobs()``, a worker running until idle) waits
:data:`~wfengine.runtime.prepared_jobs.OUTAGE_PATIENCE` seconds and raises the outage as it
did before answers were kept, and a refusal that waiting does not cure (a read-only database)
is not waited for at all.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import exc as sa_exc

from wfengine.definition.builder import PackageBuilder
from wfengine.errors import StoreUnavailableError
from wfengine.runtime import prepared_jobs
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.prepared_jobs import OUTAGE_PATIENCE, OUTAGE_REPORT_EVERY, OUTAGE_WAIT
from wfengine.runtime.sql.retry import RetryPolicy, run_with_retries
from wfengine.runtime.states import ProcessState
from wfengine.runtime.store import Step
from wfengine.runtime.worker import Worker


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with Engine(clock=VirtualClock(), db_url=f"sqlite:///{tmp_path / 'wf.db'}") as e:
        yield e


class _Time:
    """Stands in for the clock and the sleep of :mod:`~wfengine.runtime.prepared_jobs`'
    waits: a sleep moves the clock on at once, so a wait of minutes takes none."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> _Time:
    time = _Time()
    monkeypatch.setattr(prepared_jobs, "_clock", time.clock)
    monkeypatch.setattr(prepared_jobs, "_sleep", time.sleep)
    return time


class _Outage:
    """``store.commit`` of the steps that finish a job (``job_done``) fails ``failures``
    times as a database gone does (after the store's own retries: ``error``, by default a
    stand-in for one); other commits pass. ``tries``: how many it failed."""

    def __init__(
        self, engine: Engine, failures: int, error: Callable[[], Exception] | None = None
    ) -> None:
        self.failures = failures
        self.tries = 0
        self._error = error or (
            lambda: StoreUnavailableError("the database failed 6 times in a row (server gone)")
        )
        self._commit = engine.store.commit
        engine.store.commit = self  # type: ignore[method-assign]

    def __call__(self, step: Step) -> Any:
        if step.job_done is not None and self.failures > 0:
            self.failures -= 1
            self.tries += 1
            raise self._error()
        return self._commit(step)


def _store_error(driver_error: sqlite3.Error) -> Exception:
    """What the SQL store raises when a commit meets ``driver_error`` (its own rule:
    retried, or refused at once), the retries waiting no time."""

    def attempt() -> None:
        raise sa_exc.OperationalError("COMMIT", {}, driver_error)

    try:
        run_with_retries(attempt, what="'wf.db'", policy=RetryPolicy(sleep=lambda _s: None))
    except StoreUnavailableError as exc:
        return exc
    raise AssertionError("the store did not give up")


def _read_only() -> Exception:
    error = sqlite3.OperationalError("attempt to write a readonly database")
    error.sqlite_errorcode = 8  # type: ignore[attr-defined]  # (SQLITE_READONLY)
    return _store_error(error)


def _locked() -> Exception:
    return _store_error(sqlite3.OperationalError("database is locked"))


def _one_call(engine: Engine) -> tuple[str, list[int]]:
    """An instance whose activity calls an asynchronous application; the calls made."""
    calls: list[int] = []
    engine.applications.register(
        "charge", lambda: calls.append(1) or {}, asynchronous=True, retries=0
    )
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.application("charge")
    p.activity("a", tool="charge").activity("after").transition("a", "after")
    engine.deploy(pb.build())
    return engine.start_process("main"), calls


def _application_events(engine: Engine, iid: str) -> list[str]:
    return [e.kind for e in engine.audit(iid) if e.kind.startswith("application.")]


def test_an_answer_whose_commit_meets_an_outage_is_applied_once_it_is_over_not_called_again(
    engine: Engine,
) -> None:
    iid, calls = _one_call(engine)
    outage = _Outage(engine, failures=3)
    assert engine.run_due_jobs() == 1
    assert outage.failures == 0 and calls == [1]
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert _application_events(engine, iid) == [
        "application.queued",
        "application.invoked",
        "application.returned",
    ]
    assert engine.jobs(iid) == []


def test_a_stop_asked_during_the_outage_audits_the_answer_as_discarded(engine: Engine) -> None:
    """The answer's commit keeps failing and the worker is asked to stop: the outage is
    raised, and the answer audited as discarded (the database let that one commit), so the
    call made is in the trail when the job runs again."""
    iid, calls = _one_call(engine)
    _Outage(engine, failures=1_000)
    with pytest.raises(StoreUnavailableError, match="server gone"):
        engine.run_due_jobs(should_stop=_stop_after(1))
    assert calls == [1]
    assert _application_events(engine, iid)[1:] == [
        "application.invoked",
        "application.returned",
        "application.discarded",
    ]


def test_a_lease_taken_over_during_the_outage_audits_the_answer_as_discarded(
    engine: Engine,
) -> None:
    """The outage outlasted the lease and another worker claimed the job once the database
    was back: this worker's answer is not applied over it, but audited as discarded."""
    iid, calls = _one_call(engine)
    outage = _Outage(engine, failures=1)
    asked: list[int] = []

    def taken_over() -> bool:
        asked.append(1)
        if len(asked) == 2:  # (the first: the batch's look before its job) during the outage
            clock: VirtualClock = engine.clock  # type: ignore[assignment]
            clock.advance(timedelta(hours=1))  # the lease ran out meanwhile
            now = clock.now()
            assert engine.store.claim_jobs("other", now, now + timedelta(minutes=5), 10)
        return False

    assert engine.run_due_jobs(should_stop=taken_over) == 0
    assert outage.failures == 0 and len(asked) >= 2
    assert calls == [1]
    assert _application_events(engine, iid)[-1] == "application.discarded"
    [held] = engine.jobs(iid)
    assert held.lock_owner == "other"


def _stop_after(asked: int) -> Callable[[], bool]:
    """A ``should_stop`` saying no ``asked`` times (the batch's look before its job), then
    yes."""
    seen: list[int] = []

    def should_stop() -> bool:
        seen.append(1)
        return len(seen) > asked

    return should_stop


def test_a_run_without_should_stop_waits_a_minute_then_raises_the_outage_as_before(
    engine: Engine, waits: _Time
) -> None:
    """A script's ``run_due_jobs()`` has no stop but a kill: it waits for the database a
    bounded time (it used to wait for ever), then raises, the answer audited as discarded
    since the database let that commit (the call made is in the trail)."""
    iid, calls = _one_call(engine)
    outage = _Outage(engine, failures=1_000_000, error=_locked)
    with pytest.raises(StoreUnavailableError, match="database is locked"):
        engine.run_due_jobs()
    assert OUTAGE_PATIENCE <= waits.now < OUTAGE_PATIENCE + OUTAGE_WAIT
    assert calls == [1] and outage.tries > 1
    assert _application_events(engine, iid)[1:] == [
        "application.invoked",
        "application.returned",
        "application.discarded",
    ]
    [discarded] = [e for e in engine.audit(iid) if e.kind == "application.discarded"]
    assert re.match(r"the database was unavailable for 6\d s \(", discarded.detail["reason"])
    assert len(engine.jobs(iid)) == 1  # (run again once its lease has run out: calls again)


def test_a_worker_running_until_idle_raises_the_outage_after_a_bounded_wait(
    engine: Engine, waits: _Time
) -> None:
    iid, calls = _one_call(engine)
    _Outage(engine, failures=1_000_000)
    with pytest.raises(StoreUnavailableError, match="server gone"):
        Worker(lambda: engine, until_idle=True).run()
    assert OUTAGE_PATIENCE <= waits.now < OUTAGE_PATIENCE + OUTAGE_WAIT
    assert calls == [1]
    assert _application_events(engine, iid)[-1] == "application.discarded"


def test_a_refusal_that_waiting_does_not_cure_is_raised_at_once(
    engine: Engine, waits: _Time
) -> None:
    """A read-only database (a full disk, a refused login) is not an outage: the store
    raised it without retrying, and the answer does not wait for it either."""
    iid, calls = _one_call(engine)
    outage = _Outage(engine, failures=1_000, error=_read_only)
    with pytest.raises(StoreUnavailableError, match="readonly database"):
        engine.run_due_jobs(should_stop=_stop_after(50))
    assert outage.tries == 1 and waits.now == 0
    assert calls == [1]
    [discarded] = [e for e in engine.audit(iid) if e.kind == "application.discarded"]
    assert "waiting does not cure" in discarded.detail["reason"]


def test_a_long_running_worker_waits_as_long_as_the_outage_lasts_and_logs_it_sparingly(
    engine: Engine, waits: _Time, caplog: pytest.LogCaptureFixture
) -> None:
    """Its stop ends the wait, so nothing else bounds it: an outage of three minutes, and
    the answer is applied once the database is back. It said so at ERROR when the wait
    began, then every half minute (each try at DEBUG), and when it ended."""
    iid, calls = _one_call(engine)
    [job] = engine.jobs(iid)
    worker = Worker(lambda: engine)
    commit = engine.store.commit
    lasts = 3 * OUTAGE_PATIENCE

    def outage(step: Step) -> Any:
        if step.job_done is not None:
            if waits.now < lasts:
                raise StoreUnavailableError("the database failed 6 times in a row (gone)")
            worker.stop()  # the database back: the worker finishes this job and ends
        return commit(step)

    engine.store.commit = outage  # type: ignore[method-assign]
    with caplog.at_level(logging.DEBUG, logger="wfengine.engine"):
        worker.run()
    assert lasts <= waits.now < lasts + OUTAGE_WAIT
    assert calls == [1] and worker.ran == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert "application.discarded" not in _application_events(engine, iid)
    said = [(r.levelno, r.getMessage()) for r in caplog.records]
    said = [(level, text) for level, text in said if text.startswith(f"job {job.id}: ")]
    errors = [text for level, text in said if level == logging.ERROR]
    assert "its application's answer is kept" in errors[0]
    assert len(errors) <= 1 + lasts / OUTAGE_REPORT_EVERY
    assert sum(level == logging.DEBUG for level, _ in said) > len(errors)
    assert said[-1][0] == logging.WARNING
    assert re.search(r"the database is back after 18\d s; its answer is applied", said[-1][1])


def test_a_long_running_worker_waits_out_a_refusal_too(
    engine: Engine, waits: _Time, caplog: pytest.LogCaptureFixture
) -> None:
    """A read-only database may clear without a restart (a failover's old primary answers
    read-only until the new one takes over): a long-running worker, which has a stop,
    keeps the answer through it and applies it, where it audited it as discarded and called
    the application again. A run that gives up (the test above) says nothing of keeping it."""
    iid, calls = _one_call(engine)
    worker = Worker(lambda: engine)
    commit = engine.store.commit
    refusals = [_read_only() for _ in range(3)]

    def read_only_for_a_while(step: Step) -> Any:
        if step.job_done is not None:
            if refusals:
                raise refusals.pop()
            worker.stop()
        return commit(step)

    engine.store.commit = read_only_for_a_while  # type: ignore[method-assign]
    with caplog.at_level(logging.ERROR, logger="wfengine.engine"):
        worker.run()
    assert calls == [1] and worker.ran == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert "application.discarded" not in _application_events(engine, iid)
    assert any("answer is kept" in r.getMessage() for r in caplog.records)


def test_a_run_that_gives_up_at_once_does_not_say_the_answer_is_kept(
    engine: Engine, waits: _Time, caplog: pytest.LogCaptureFixture
) -> None:
    _one_call(engine)
    _Outage(engine, failures=1_000, error=_read_only)
    with (
        caplog.at_level(logging.ERROR, logger="wfengine.engine"),
        pytest.raises(StoreUnavailableError),
    ):
        engine.run_due_jobs(should_stop=_stop_after(50))
    said = [r.getMessage() for r in caplog.records]
    assert not any("answer is kept" in text for text in said), said
