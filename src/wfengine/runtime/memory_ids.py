"""The memory store refuses a record whose id another record holds already.

Why: the memory store keeps records in dicts by id, so an
:class:`~wfengine.runtime.ids.IdGenerator` of the host's that handed out an id twice made the
second process instance (or work item) silently replace the first: its data, its work and
its trail's owner gone, with no error. The SQL stores refuse the row (a primary key). Ids
are the host's to choose (:class:`~wfengine.runtime.ids.UuidIds`, case numbers), so the
store checks them, before it stores anything of the step.

And because ids are the host's, the memory store lists records in the SQL stores' order,
by creation time and then id (:func:`listing_order`), not in the order they were made.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TypeVar

from wfengine.errors import StoreError
from wfengine.runtime.instance import Incident, ProcessInstance, WorkItem
from wfengine.runtime.jobs import Job
from wfengine.runtime.store import Step

#: a record listed as the SQL store lists it (:func:`listed`)
_R = TypeVar("_R", ProcessInstance, WorkItem)


class IdTakenError(StoreError):
    """A new record's id is another record's already: the id generator repeated an id."""


def refuse_taken_ids(
    instances: Mapping[str, ProcessInstance],
    work_items: Mapping[str, WorkItem],
    step: Step,
    jobs: Mapping[str, Job] | None = None,
    incidents: Mapping[str, Incident] | None = None,
) -> None:
    """Raise :class:`IdTakenError` when ``step`` stores a process instance or work item
    under an id a different stored one has (the one stored is the same object when a
    command changed it: the memory store's records are the live ones); with ``jobs`` (the
    stored jobs by id), a new timer or job under a stored job's id (one the step deletes
    is free again, as on SQL) or two new ones under one id; with ``incidents``, an incident
    under the id of another instance's incident. Why jobs: the second job replaced the
    first, another instance's deadline that then never fired."""
    with_incidents = False
    for inst in step.instances.values():
        held = instances.get(inst.id)
        if held is not None and held is not inst:
            raise IdTakenError(
                _taken("process instance", inst.id, held.process_id, instances, step)
            )
        if inst.incidents:
            with_incidents = True
    for item in step.work_items:
        had = work_items.get(item.id)
        if had is not None and had is not item:
            raise IdTakenError(_taken("work item", item.id, had.instance_id, instances, step))
    if jobs is not None and (step.timers_set or step.jobs):
        _refuse_taken_jobs(jobs, instances, step)
    if incidents is not None and with_incidents:  # (no second pass over the instances)
        for inst in step.instances.values():
            for incident in inst.incidents.values():
                other = incidents.get(incident.id)
                if other is not None and other.instance_id != inst.id:
                    raise IdTakenError(
                        _taken("incident", incident.id, other.instance_id, instances, step)
                    )


def _refuse_taken_jobs(
    jobs: Mapping[str, Job], instances: Mapping[str, ProcessInstance], step: Step
) -> None:
    """The jobs half of :func:`refuse_taken_ids`."""
    freed = set(step.timers_cancelled)
    if step.job_done is not None and step.job_again_at is None:
        freed.add(step.job_done)
    made: dict[str, str] = {}
    new = [(t.id, t.instance_id) for t in step.timers_set if t.id not in step.timers_cancelled]
    new.extend((j.id, j.instance_id) for j in step.jobs)
    for job_id, instance_id in new:
        held = jobs.get(job_id)
        of = made.get(job_id) or (held.instance_id if held and job_id not in freed else None)
        if of is not None:
            raise IdTakenError(_taken("job", job_id, of, instances, step))
        made[job_id] = instance_id


def _taken(
    kind: str, ident: str, of: str, instances: Mapping[str, ProcessInstance], step: Step
) -> str:
    """What went wrong, and what was left: the ids are only seen at the commit, and the
    instances a command changed are the stored ones, changed in place with no rollback; so
    "nothing was stored" is true only of a command that changed no stored instance (a
    start). Why not check each id as it is made: the command has changed its instance by
    then too (the next activity's work item is made after the one before it completed)."""
    changed = sorted(i.id for i in step.instances.values() if instances.get(i.id) is i)
    if changed:
        names = ", ".join(repr(i) for i in changed)
        left = (
            "the new records were not stored, but the memory store changes instances in place "
            f"and has no rollback: what this command did to instance {names} stays, without "
            "the records it made (it may wait for a work item or job that is not there: "
            "terminate it)"
        )
    else:
        left = "nothing was stored"
    return taken_words(
        f"{kind} {ident!r}", f"storing the new one would replace it; {left}", f" (of {of!r})"
    )


def taken_words(what: str, how: str, of: str = "") -> str:
    """The words of an :class:`IdTakenError`, the memory store's and the SQL stores'
    (:mod:`~wfengine.runtime.sql.repeated_ids`): ``what`` is stored already, and ``how`` the
    store dealt with it."""
    return (
        f"{what} is stored already{of}: the id generator (Engine(ids=...)) handed out an id "
        f"in use, and {how}. An IdGenerator must never repeat an id (see wfengine.runtime.ids)"
    )


def listing_order(record: ProcessInstance | WorkItem) -> tuple[datetime, int, str]:
    """Where ``record`` comes in a listing: the SQL store's ``(created_at, length(id), id)``.
    Why not creation order: with ids a host chooses (:class:`~wfengine.runtime.ids.UuidIds`,
    case numbers) those differ, and so did listings and keyset pages between stores."""
    return (record.created_at, len(record.id), record.id)


def listed(records: Iterable[_R]) -> list[_R]:
    """``records`` (a copy, as of one moment: see ``MemoryStore``'s notes) in listing order
    (one record, an instance's one open work item at each step: no order to look at)."""
    found = list(records)
    return sorted(found, key=listing_order) if len(found) > 1 else found
