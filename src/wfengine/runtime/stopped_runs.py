"""The synchronous application calls of a job run that a worker supervisor saw begin and
that the run never committed: audited, each numbered as it was made.

Why: one job's command can make several synchronous calls (Tool activities a1, a2, a3 in a
row). A worker process that died, or that a stop killed after ``--grace``, while the job was in
a3 committed nothing, so the records of all three calls were lost with it; the supervisor
handed on the last one only (the call in progress), or none when it gave the job back, and the
worker that ran the job next numbered the killed run's attempts against a1 (``interrupted`` on a
call that had returned) while a2's and a3's real first calls were nowhere in the trail. The
supervisor knows each call as it begins (:mod:`~wfengine.runtime.call_watch`, one pipe line
per call, no database write), so when it stops a job it writes them all
(:func:`audit_stopped_run`): each call that had ended before the next began as
``application.invoked`` then ``application.discarded`` (its answer was not used: the run
committed nothing), the one in progress as invoked and failed, as the child-death path has
always audited it (:class:`~wfengine.runtime.lost_attempts.LostCall`). The job's next run
reads them back and numbers each call on from them
(:func:`~wfengine.runtime.job_claims.made_before`). Written on that rare path only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from wfengine.errors import NotFoundError
from wfengine.runtime.call_watch import CallInProgress
from wfengine.runtime.history import Change
from wfengine.runtime.instance import ProcessInstance
from wfengine.runtime.jobs import JOB_INVOKE
from wfengine.runtime.lost_attempts import LostCall

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine

#: a call the supervisor saw begin, and when it began (the engine's clock)
Begun = tuple[CallInProgress, datetime]


def ended_before_stop(job_id: str, why: str) -> str:
    """What an ``application.discarded`` record of a stopped run's ended call says."""
    return (
        f"job {job_id!r} made this call in a run that never committed ({why}): the call had "
        "ended before the run's next call began, and its answer was not used; the job's next "
        "run calls again"
    )


def interrupted_by_stop(job_id: str, why: str) -> str:
    """What the ``application.failed`` record of a call in progress when the supervisor
    stopped its job and gave it back says."""
    return (
        f"interrupted: job {job_id!r} was making this call when {why}; the job was given back "
        "and runs again; whether the application finished is not known"
    )


def audit_stopped_run(
    engine: Engine,
    job_id: str,
    owner: str,
    calls: Sequence[Begun],
    why: str,
    *,
    last: str | None,
) -> None:
    """Audit ``calls`` (in the order they began) of ``job_id``'s stopped run in one command
    on ``engine``, if ``owner`` still holds the job (none committed it, nor took it over):
    each but the last as ended (invoked when it began, discarded when the next began, saying
    ``why`` the run did not commit); the last as failed now with the text ``last``, or not at
    all when ``last`` is None (:meth:`~wfengine.runtime.engine.Engine.abandon_job` audits
    it with the job's incident). An ``invoke`` job's own call is left to its claims (they
    count its attempts: :mod:`~wfengine.runtime.job_claims`)."""
    if not calls:
        return

    def body() -> None:
        job = engine.store.job(job_id)
        if job is None or job.lock_owner != owner:
            return
        own = job.key if job.kind == JOB_INVOKE else None
        home = engine.store.instance(job.instance_id)
        nav = engine._nav()
        now = nav.now
        # each call in the trail of the instance its key names (a job's command may run the
        # Tools of another stored instance: a child's job resumes its caller), where the
        # job's next run looks for it (job_claims.Trails); the job's own instance for one
        # the lost run made (not stored: its next run makes it anew, with new keys)
        kept: dict[str, tuple[ProcessInstance, list[Change]]] = {}
        for n, (call, began) in enumerate(calls):
            if call.key == own:
                continue
            named = call.key.partition(":")[0]
            target = kept.get(named)
            if target is None:
                target = kept[named] = (_stored(engine, named, home), [])
            inst, records = target
            payload = call.as_payload()
            if call.activity_instance_id not in inst.activities:  # made by the lost run
                payload["activity_instance_id"] = None
            made = LostCall(payload, call.attempt, call.key, dict(call.inputs), job_id)
            if n + 1 < len(calls):
                ended = min(calls[n + 1][1], now)
                records += made.ended(
                    inst, ended_before_stop(job_id, why), began=began, ended=ended
                )
            elif last is not None:
                records += made.failed(inst, last, began=began, now=now)
        touched = False
        for inst, records in kept.values():
            if records:
                nav.touch(inst)
                inst.changes.extend(records)
                touched = True
        if touched:
            engine.store.commit(nav.step)

    engine._command(body)


def _stored(engine: Engine, instance_id: str, home: ProcessInstance) -> ProcessInstance:
    """Stored instance ``instance_id`` (``home``, the job's own, when it is that one or is
    not stored: one the lost run created)."""
    if instance_id == home.id:
        return home
    try:
        return engine.store.instance(instance_id)
    except NotFoundError:
        return home
