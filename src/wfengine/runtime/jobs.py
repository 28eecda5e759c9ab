"""Jobs: work a store keeps for later, run by whoever claims it (an engine, a worker).

Two kinds exist today. A **timer** job is a deadline waiting on the clock (its id is the
:class:`~wfengine.runtime.instance.Timer` id; the store converts between the two). A
**continue** job carries the automatic work of an instance that a command left for workers
(``Engine.start(..., defer=True)``); its ready work waits in the instance's ``parked`` list.
An **invoke** job is one call of an asynchronous application
(:mod:`wfengine.runtime.tools`): the call runs outside any store transaction and its
result is committed by the job's own command; a failed attempt gives the job back, due after a
backoff, with the same idempotency key.

Claiming is a lease: the claimant's ``lock_owner`` and a ``lock_expires_at`` are written on the
row; a lease that expires (its owner died, or is stuck) lets another claimant take the job
over. Running a job and deleting it are one transaction, so its effect happens exactly once: a
claimant whose lease was taken over finds, at commit, that the job or the instance version has
moved on, and its step is rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from wfengine.runtime.instance import Timer

JOB_TIMER = "timer"
JOB_CONTINUE = "continue"
JOB_INVOKE = "invoke"
#: a work item's reminder or escalation (``payload``: the item, ``remind`` or ``escalate``,
#: the reminder's number), due on the clock as timers are
JOB_REMINDER = "reminder"

#: how long a claim holds a job unless renewed
DEFAULT_LEASE = timedelta(seconds=60)
#: when a job is due that failed and waits for its incident to be retried: never, by itself
PARKED = datetime(9999, 12, 31, tzinfo=UTC)
#: the payload key of a timer or reminder job held back past its instance's timer budget
#: (``RuntimeLimits.max_timer_firings``): when it was due (ISO text), while the job waits
#: parked and after its incident's retry made it due again (see :func:`held_back`)
HELD = "held"


@dataclass(slots=True, eq=False)
class Job:
    id: str
    kind: str
    instance_id: str
    due: datetime
    #: creation order: the tie-breaker for jobs due at the same instant
    seq: int = 0
    #: how many times the job has been claimed (a job that keeps failing shows here)
    attempts: int = 0
    lock_owner: str | None = None
    lock_expires_at: datetime | None = None
    #: kind-specific: a timer's activity instance and deadline index
    payload: Any = None
    #: the idempotency key a receiver of the job's side effect uses to recognise a repeat
    key: str | None = None


def timer_job(timer: Timer) -> Job:
    """The job row of a deadline timer."""
    return Job(
        id=timer.id,
        kind=JOB_TIMER,
        instance_id=timer.instance_id,
        due=timer.due,
        seq=timer.seq,
        payload={
            "activity_instance_id": timer.activity_instance_id,
            "deadline": timer.deadline_index,
        },
        key=f"{timer.id}/fire",
    )


def job_timer(job: Job) -> Timer:
    """The deadline timer a timer job stands for (due when it was due: one held back past
    the timer budget too, parked or given back by its incident's retry)."""
    payload = job.payload
    return Timer(
        id=job.id,
        due=first_due(job),
        instance_id=job.instance_id,
        activity_instance_id=payload["activity_instance_id"],
        deadline_index=payload["deadline"],
        seq=job.seq,
    )


def held_back(job: Job) -> Job:
    """``job`` (a timer or a reminder) held back past its instance's timer budget: parked
    (due at :data:`PARKED`, unleased) until its incident is retried, its payload keeping when
    it was due (:data:`HELD`; kept from an earlier hold). Why keep it: ``timers()``, a
    worklist's due time, the ``deadline.fired`` it records once fired and the rhythm of a
    repeating cycle read it; the parked moment is no due time, and the retry's is not
    either."""
    payload = dict(job.payload)
    payload.setdefault(HELD, job.due.isoformat())
    return replace(job, due=PARKED, lock_owner=None, lock_expires_at=None, payload=payload)


def granted(job: Job) -> bool:
    """Whether ``job`` is a timer or reminder held back past its instance's timer budget
    whose incident an operator retried (given back due, no longer parked): it fires once
    past the budget, whichever engine runs it and whatever its limits (see
    :meth:`~wfengine.runtime.navigation.base.NavigatorBase._may_fire`)."""
    return job.due < PARKED and isinstance(job.payload, dict) and HELD in job.payload


def first_due(job: Job) -> datetime:
    """When ``job`` was due: a held-back one's own time (:func:`held_back`), else its due."""
    payload = job.payload
    held = payload.get(HELD) if isinstance(payload, dict) else None
    return job.due if not isinstance(held, str) else datetime.fromisoformat(held)


def lease_free(job: Job, now: datetime) -> bool:
    """May ``job`` be claimed at ``now``: never claimed, or its lease has expired."""
    return job.lock_expires_at is None or job.lock_expires_at <= now


def reminds_of(job: Job, work_item_id: str) -> bool:
    """Is ``job`` a reminder or escalation of work item ``work_item_id``? (They end with
    their item: a closed item is reminded of no more, and waits for no escalation.)"""
    return job.kind == JOB_REMINDER and job.payload.get("work_item") == work_item_id


def reminder_key_prefix(work_item_id: str) -> str:
    """What the keys of ``work_item_id``'s reminder and escalation jobs begin with
    (``wi-1/remind/2``, ``wi-1/escalate/1``): how a SQL store finds them to delete."""
    return f"{work_item_id}/"
