"""A database outage while a worker commits an asynchronous application's answer.

The answer exists (the application was called, and that call is audited only by the commit of
its answer): dropped when that commit found the database gone, the job ran again and called a
second time with no trace of the first call. It is kept and applied once the database is back,
as an answer losing races is; a stop asked first audits it as discarded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.errors import StoreUnavailableError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState
from wfengine.runtime.store import Step


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with Engine(clock=VirtualClock(), db_url=f"sqlite:///{tmp_path / 'wf.db'}") as e:
        yield e


class _Outage:
    """``store.commit`` of the steps that finish a job (``job_done``) fails ``failures``
    times as a database gone does (after the store's own retries); other commits pass."""

    def __init__(self, engine: Engine, failures: int) -> None:
        self.failures = failures
        self._commit = engine.store.commit
        engine.store.commit = self  # type: ignore[method-assign]

    def __call__(self, step: Step) -> Any:
        if step.job_done is not None and self.failures > 0:
            self.failures -= 1
            raise StoreUnavailableError("the database failed 6 times in a row (server gone)")
        return self._commit(step)


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
