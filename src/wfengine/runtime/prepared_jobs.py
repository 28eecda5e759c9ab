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


def apply_prepared(
    engine: EngineBase,
    job: Job,
    owner: str,
    apply: Callable[[], bool],
    discarded: Callable[[Job, ProcessInstance, str], None],
    should_stop: Callable[[], bool] | None = None,
) -> bool:
    """Commit a prepared job's outcome (``apply``: its command's body), which was made
    already (an application called): losing races, it is applied again, with a back-off,
    while the job stays leased (a worker's lease keeper renews it), not given back to be
    made a second time. Still losing after :data:`PREPARED_ROUNDS` commands, the
    outcome is audited as discarded (``discarded``: as other outcomes the instance does
    not get), and the :class:`~wfengine.errors.ConcurrencyError` raised gives the job
    back: its next run calls again, and both calls are in the trail.

    The database unavailable (an outage: :class:`~wfengine.errors.StoreUnavailableError`)
    is waited out the same way, however long it lasts: dropped, the answer would be lost
    with no trace (its call is audited by the commit that failed) and the application
    called again. Once the database is back, ``apply`` finds whether the job is still
    this owner's (then the answer is applied) or another claimant's, whose lease ran out
    meanwhile (then it is audited as discarded). Only a stop (``should_stop``, the
    engine closed, a call's stop) ends the wait: the discard is audited if the database
    lets it, and the outage is raised."""
    lost: StoreError | None = None
    round_ = outage = 0
    while round_ < PREPARED_ROUNDS:
        try:
            return engine._command(apply, origin=job.id)
        except ConcurrencyError as exc:
            if stopping():  # a call's SystemExit or Ctrl-C: not run again
                raise
            lost = exc
        except EngineInUseError as exc:  # another thread's command: as a lost race
            lost = ConcurrencyError(f"another thread held this engine: {exc}")
        except StoreUnavailableError as exc:
            if stopping() or engine._closed or (should_stop is not None and should_stop()):
                _give_up(engine, job, owner, discarded, f"the worker stopped first ({exc})")
                raise
            outage += 1
            _log.error(
                "job %s: its answer is kept and applied once the database is back (%s)",
                *(job.id, exc),
            )
            _wait(min(OUTAGE_WAIT, 0.05 * 2**outage), should_stop)
            continue
        round_ += 1
        outage = 0
        if round_ < PREPARED_ROUNDS:
            _log.info("job %s lost its races (round %d); applying it again", job.id, round_)
            time.sleep(random.uniform(0, min(0.01 * 2**round_, 2.0)))
    assert lost is not None
    reason = f"the job lost its races {PREPARED_ROUNDS} times in a row ({lost})"
    _give_up(engine, job, owner, discarded, reason)
    raise lost


def _give_up(
    engine: EngineBase,
    job: Job,
    owner: str,
    discarded: Callable[[Job, ProcessInstance, str], None],
    reason: str,
) -> None:
    """Audit the outcome of ``job`` as discarded for ``reason``, if ``owner`` still holds
    the job; the database unavailable is raised (nothing could be audited then)."""
    store = engine.store

    def discard() -> None:
        current = store.job(job.id)
        if current is not None and current.lock_owner == owner:
            discarded(current, store.instance(current.instance_id), reason)

    try:
        engine._command(discard, origin=job.id)
    except StoreUnavailableError:
        raise
    except WorkflowError as why:
        _log.error("job %s: its dropped outcome could not be audited: %s", job.id, why)


def _wait(seconds: float, should_stop: Callable[[], bool] | None) -> None:
    """Sleep ``seconds`` (with jitter), in short naps that end once a stop is asked."""
    until = time.monotonic() + random.uniform(seconds / 2, seconds)
    while (left := until - time.monotonic()) > 0:
        if should_stop is not None and should_stop():
            return
        time.sleep(min(left, 0.1))
