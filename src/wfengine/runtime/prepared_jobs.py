"""Committing a prepared job's outcome: an asynchronous application's answer, which was made
before the job's command opened its unit of work (:mod:`wfengine.runtime.invoke_jobs`).

Why a module of its own: the outcome exists already (the application was called), so a command
that loses its races is applied again rather than given back to be made a second time; that
loop and its give-up are one rule, kept apart from claiming and running jobs
(:mod:`~wfengine.runtime.job_commands`).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable

from wfengine.errors import ConcurrencyError, EngineInUseError, StoreUnavailableError, WorkflowError
from wfengine.runtime.call_stops import stopping
from wfengine.runtime.engine_base import EngineBase
from wfengine.runtime.instance import ProcessInstance
from wfengine.runtime.jobs import Job

_log = logging.getLogger("wfengine.engine")

#: how many commands apply a prepared job's outcome (an application's answer) before it is
#: dropped (audited as discarded) and the job given back to be called again
PREPARED_ROUNDS = 8


def apply_prepared(
    engine: EngineBase,
    job: Job,
    owner: str,
    apply: Callable[[], bool],
    discarded: Callable[[Job, ProcessInstance, str], None],
) -> bool:
    """Commit a prepared job's outcome (``apply``: its command's body), which was made
    already (an application called): losing races, it is applied again, with a back-off,
    while the job stays leased (a worker's lease keeper renews it), not given back to be
    made a second time. Still losing after :data:`PREPARED_ROUNDS` commands, the
    outcome is audited as discarded (``discarded``: as other outcomes the instance does
    not get), and the :class:`~wfengine.errors.ConcurrencyError` raised gives the job
    back: its next run calls again, and both calls are in the trail."""
    lost: ConcurrencyError | None = None
    for round_ in range(PREPARED_ROUNDS):
        if round_:
            time.sleep(random.uniform(0, min(0.01 * 2**round_, 2.0)))
        try:
            return engine._command(apply, origin=job.id)
        except ConcurrencyError as exc:
            if stopping():  # a call's SystemExit or Ctrl-C: not run again
                raise
            lost = exc
        except EngineInUseError as exc:  # another thread's command: as a lost race
            lost = ConcurrencyError(f"another thread held this engine: {exc}")
        _log.info("job %s lost its races (round %d); applying it again", job.id, round_)
    assert lost is not None
    reason = f"the job lost its races {PREPARED_ROUNDS} times in a row ({lost})"
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
    raise lost
