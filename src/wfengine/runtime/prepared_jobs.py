"""Committing a prepared job's outcome: an asynchronous application's answer, which was made
before the job's command opened its unit of work (:mod:`wfengine.runtime.invoke_jobs`).

Why a module of its own: the outcome exists already (the application was called), so a command
that loses its races, or finds the database gone, is applied again rather than given back to be
made a second time; that loop and its give-up are one rule, kept apart from claiming and
running jobs (:mod:`~wfengine.runtime.job_commands`).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable

from wfengine.errors import (
    ConcurrencyError,
    EngineInUseError,
    StoreError,
    StoreUnavailableError,
    WorkflowError,
)
from wfengine.runtime.call_stops import stopping
from wfengine.runtime.engine_base import EngineBase
from wfengine.runtime.instance import ProcessInstance
from wfengine.runtime.jobs import Job

_log = logging.getLogger("wfengine.engine")

#: how many commands apply a prepared job's outcome (an application's answer) before it is
#: dropped (audited as discarded) and the job given back to be called again
PREPARED_ROUNDS = 8
#: longest wait (seconds) between two tries of applying an answer while the database is gone
OUTAGE_WAIT = 2.0
#: how long (seconds) an answer waits for the database when nothing but a stop would end the
#: wait otherwise (see :func:`apply_prepared`): as long as a database restart or a failover
#: takes, not as long as a supervisor's job timeout (``wfengine worker --job-timeout``, 300 s)
OUTAGE_PATIENCE = 60.0
#: how often (seconds) a wait still going on says so at ERROR (each try in between: DEBUG)
OUTAGE_REPORT_EVERY = 30.0

#: the clock and the sleep the waits use (a test's stand in for the real ones)
_clock: Callable[[], float] = time.monotonic
_sleep: Callable[[float], object] = time.sleep


def apply_prepared(
    engine: EngineBase,
    job: Job,
    owner: str,
    apply: Callable[[], bool],
    discarded: Callable[[Job, ProcessInstance, str], None],
    should_stop: Callable[[], bool] | None = None,
    patience: float | None = OUTAGE_PATIENCE,
) -> bool:
    """Commit a prepared job's outcome (``apply``: its command's body), which was made
    already (an application called): losing races, it is applied again, with a back-off,
    while the job stays leased (a worker's lease keeper renews it), not given back to be
    made a second time. Still losing after :data:`PREPARED_ROUNDS` commands, the
    outcome is audited as discarded (``discarded``: as other outcomes the instance does
    not get), and the :class:`~wfengine.errors.ConcurrencyError` raised gives the job
    back: its next run calls again, and both calls are in the trail.

    The database unavailable (an outage: :class:`~wfengine.errors.StoreUnavailableError`,
    after the store's own retries) is waited out the same way, for ``patience`` seconds
    (None: until a stop): dropped, the answer would be lost with no trace (its call is
    audited by the commit that failed) and the application called again. Once the
    database is back, ``apply`` finds whether the job is still this owner's (then the
    answer is applied) or another claimant's, whose lease ran out meanwhile (then it is
    audited as discarded). Why a bound but for a long-running worker (which passes None):
    a script, a host's own call or a worker running until idle waits for an answer, and
    has no stop signal of its own but a kill. The wait ends early on a stop
    (``should_stop``, the engine closed, a call's stop), and is not begun when the
    database refused the work for a reason waiting does not cure (read-only, full, a
    login refused: :mod:`wfengine.runtime.sql.retry`). The wait over, the answer is
    audited as discarded if the database lets it, and the outage is raised."""
    lost: StoreError | None = None
    round_ = 0
    outage: _Outage | None = None
    while round_ < PREPARED_ROUNDS:
        try:
            ran = engine._command(apply, origin=job.id)
        except ConcurrencyError as exc:
            if stopping():  # a call's SystemExit or Ctrl-C: not run again
                raise
            lost = exc
        except EngineInUseError as exc:  # another thread's command: as a lost race
            lost = ConcurrencyError(f"another thread held this engine: {exc}")
        except StoreUnavailableError as exc:
            outage = outage or _Outage(job)
            why = outage.why_not_wait(engine, exc, should_stop, patience)
            if why is not None:
                outage.give_up(engine, owner, discarded, why)
                raise
            outage.wait(exc, should_stop)
            continue
        else:
            if outage is not None:
                outage.over("its answer is applied" if ran else "see its audit trail")
            return ran
        if outage is not None:
            outage.over("applying its answer again (it lost a race)")
            outage = None
        round_ += 1
        if round_ < PREPARED_ROUNDS:
            _log.info("job %s lost its races (round %d); applying it again", job.id, round_)
            time.sleep(random.uniform(0, min(0.01 * 2**round_, 2.0)))
    assert lost is not None
    reason = f"the job lost its races {PREPARED_ROUNDS} times in a row ({lost})"
    _give_up(engine, job, owner, discarded, reason)
    raise lost


class _Outage:
    """A wait for the database while a job's answer is kept: when it began, how many tries
    failed, when it last said so. Why it logs as it does: once at ERROR when it begins,
    each try at DEBUG, again at ERROR every :data:`OUTAGE_REPORT_EVERY` seconds, and once
    when it ends; an ERROR every try (every 2 s) buried the rest of the log."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.began = self.reported = _clock()
        self.tries = 0

    def took(self) -> float:
        return _clock() - self.began

    def why_not_wait(
        self,
        engine: EngineBase,
        exc: StoreUnavailableError,
        should_stop: Callable[[], bool] | None,
        patience: float | None,
    ) -> str | None:
        """Why not to try again (None: wait, then try)."""
        if stopping() or engine._closed or (should_stop is not None and should_stop()):
            return f"the worker stopped first ({exc})"
        # a SQLite file deleted or replaced is no outage to wait out: it does not come back
        # (every command is refused from then on, sqlite_file), so its answer cannot be kept
        from wfengine.runtime.sql.sqlite_file import store_file_problem

        if store_file_problem(engine.store) is not None:
            return f"the database cannot be used ({exc})"
        # (a long-running worker, patience None, waits out a refusal too: a failover's old
        # primary answers read-only until the new one takes over, and it has a stop)
        if patience is not None and _refused(exc):
            return f"the database refused the work, which waiting does not cure ({exc})"
        if patience is not None and self.took() >= patience:
            return f"the database was unavailable for {self.took():.0f} s ({exc})"
        return None

    def wait(self, exc: StoreUnavailableError, should_stop: Callable[[], bool] | None) -> None:
        if self.tries == 0:  # (said once it is decided to wait: not before a give-up)
            _log.error(
                "job %s: the database is unavailable; its application's answer is kept and "
                "applied once it is back (%s)",
                *(self.job.id, exc),
            )
        self.tries += 1
        if self.tries > 1 and _clock() - self.reported >= OUTAGE_REPORT_EVERY:
            self.reported = _clock()
            _log.error(
                "job %s: still waiting for the database after %.0f s, its answer kept (%s)",
                *(self.job.id, self.took(), exc),
            )
        else:
            _log.debug("job %s: the database is still unavailable (%s)", self.job.id, exc)
        _wait(min(OUTAGE_WAIT, 0.05 * 2**self.tries), should_stop)

    def over(self, how: str) -> None:
        _log.warning("job %s: the database is back after %.0f s; %s", self.job.id, self.took(), how)

    def give_up(
        self,
        engine: EngineBase,
        owner: str,
        discarded: Callable[[Job, ProcessInstance, str], None],
        why: str,
    ) -> None:
        """End the wait: the answer audited as discarded if the database lets it, and said
        lost otherwise (its job calls again once its lease has run out)."""
        job = self.job
        try:
            audited = _give_up(engine, job, owner, discarded, why)
        except StoreUnavailableError as still:
            _log.error(
                "job %s: its application's answer is lost, not even audited as discarded "
                "(%s); the job calls the application again once the database is back and "
                "its lease has run out: %s",
                *(job.id, still, why),
            )
            return
        done = "audited as discarded" if audited else "dropped"
        _log.error("job %s: no more waiting, its answer is %s: %s", job.id, done, why)


def _refused(exc: StoreUnavailableError) -> bool:
    """Did the database refuse the work for a reason of its own (read-only, full, a login
    refused)? The store raised it at once then, from an error it judged not transient
    (:func:`~wfengine.runtime.sql.retry.is_transient`); an outage's retries ran out on a
    transient one. Why the cause is read rather than the message: it is the store's own
    rule, and the words are not."""
    cause = exc.__cause__
    if cause is None or not type(cause).__module__.startswith("sqlalchemy"):
        return False  # (not the SQL store's refusal: an outage, waited out)
    from wfengine.runtime.sql.retry import is_transient  # (loaded: the store raised it)

    return not is_transient(cause)


def _give_up(
    engine: EngineBase,
    job: Job,
    owner: str,
    discarded: Callable[[Job, ProcessInstance, str], None],
    reason: str,
) -> bool:
    """Audit the outcome of ``job`` as discarded for ``reason``, if ``owner`` still holds
    the job (True: it did); the database unavailable is raised (nothing could be audited
    then)."""
    store = engine.store

    def discard() -> bool:
        current = store.job(job.id)
        if current is None or current.lock_owner != owner:
            return False
        discarded(current, store.instance(current.instance_id), reason)
        return True

    try:
        return engine._command(discard, origin=job.id)
    except StoreUnavailableError:
        raise
    except WorkflowError as why:
        _log.error("job %s: its dropped outcome could not be audited: %s", job.id, why)
        return False


def _wait(seconds: float, should_stop: Callable[[], bool] | None) -> None:
    """Sleep ``seconds`` (with jitter), in short naps that end once a stop is asked."""
    until = _clock() + random.uniform(seconds / 2, seconds)
    while (left := until - _clock()) > 0:
        if should_stop is not None and should_stop():
            return
        _sleep(min(left, 0.1))
