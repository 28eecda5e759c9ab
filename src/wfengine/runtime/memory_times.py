"""The memory store's times in UTC, as the SQL stores give them back.

Why: the engine stamps its records with its clock's time, in the clock's zone (a
:class:`~wfengine.runtime.clock.VirtualClock` keeps the zone it started in). Python subtracts
and compares two datetimes that share one ``tzinfo`` by their wall-clock readings, so across a
summer-time change in a zone such as ``Europe/Berlin`` a waiting time came out an hour long
(spring) or negative (autumn), and the audit trail listed "oldest first" out of order, on the
memory store only: the SQL stores keep and return UTC. The memory store turns each time into
UTC when a commit stores it, so both stores answer alike.

The check is made for every commit, and costs next to nothing when the clock tells UTC (the
default): two change tuples' zones and one attribute per record.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TypeVar

from wfengine.runtime.clock import require_aware
from wfengine.runtime.instance import Change, ProcessInstance, WorkItem
from wfengine.runtime.jobs import Job
from wfengine.runtime.store import Step

_T = TypeVar("_T", datetime, datetime | None)


def utc(when: _T) -> _T:
    """``when`` in UTC (the same instant); None stays None, a naive time stays as it is (the
    callers refuse those where it matters, with their own message)."""
    if when is None or when.tzinfo is UTC or when.tzinfo is None:
        return when
    return when.astimezone(UTC)


def utc_changes(changes: Sequence[Change]) -> list[Change]:
    """``changes`` with their times in UTC (the rest of each tuple as it is)."""
    return [(utc(at), kind, aid, act_id, detail) for at, kind, aid, act_id, detail in changes]


def utc_instance(inst: ProcessInstance, changes: Sequence[Change]) -> None:
    """Turn the times of ``inst``, of the activity instances ``changes`` name, and of its
    incidents and waiting messages into UTC, in place (the same instants: what the engine
    compares them with stays true).

    Why only the activity instances the changes name: every change to one's times comes with
    a change tuple naming it (the SQL store writes its activity rows by the same rule), and
    the others were turned when their own change was stored. Walking them all cost each
    commit a pass over every open activity instance: completing one item of a 10,000-item
    multi-instance activity took 3,175 us instead of 40, quadratic over a run."""
    inst.created_at = utc(inst.created_at)
    inst.started_at = utc(inst.started_at)
    inst.completed_at = utc(inst.completed_at)
    acts = inst.activities
    for aid in {c[2] for c in changes}:
        ai = acts.get(aid) if aid is not None else None
        if ai is not None:
            ai.started_at = utc(ai.started_at)
            ai.completed_at = utc(ai.completed_at)
            ai.running_at = utc(ai.running_at)
    for incident in inst.incidents.values():
        incident.created_at = utc(incident.created_at)
    if inst.messages:
        inst.messages[:] = [(name, data, utc(when)) for name, data, when in inst.messages]


def utc_item(item: WorkItem) -> None:
    """Turn the times of work item ``item`` into UTC, in place."""
    item.created_at = utc(item.created_at)
    item.started_at = utc(item.started_at)
    item.completed_at = utc(item.completed_at)


def utc_job(job: Job) -> Job:
    """``job`` with its due time in UTC, in place: the job heap orders by it, and two times
    of one zone compare by their wall-clock readings."""
    job.due = utc(job.due)
    return job


def refuse_naive(step: Step) -> None:
    """Refuse a step that would queue a job at a naive time, as the SQL store does: one in
    the job heap would make every later comparison (every clock move, every poll) raise."""
    for timer in step.timers_set:
        require_aware(timer.due)
    for job in step.jobs:
        require_aware(job.due)
    if step.job_again_at is not None:
        require_aware(step.job_again_at)
