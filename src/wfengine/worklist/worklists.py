"""A user's worklist: the open work items offered to them or held by them.

A view over the engine's records (Interface 2's "open work list"): each entry is the work
item with the process it belongs to and when it is due (the earliest deadline of its
activity, None when it has none), oldest first. Reads only.

A deadline is the activity's own (its ``Deadline`` elements): a boundary timer attached to it
is an event on its way, not when the work is due. An asynchronous deadline that fired and left
the work open still says when it was due (read from its ``deadline.fired`` event, which
records it; one recorded before it did says when the deadline fired); a
multi-instance activity's items are due when the activity is (its deadlines are the
container's, which spans them).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from wfengine.errors import DeployError
from wfengine.runtime.activity_holders import holders
from wfengine.runtime.compiled import CompiledProcess
from wfengine.runtime.deadline_events import fired_due
from wfengine.runtime.engine import Engine
from wfengine.runtime.jobs import PARKED
from wfengine.runtime.snapshots import WorkItemSnapshot
from wfengine.runtime.states import WorkItemState
from wfengine.runtime.work_rules import asking, responsible
from wfengine.worklist.due_reads import deadlines, page_instances

_log = logging.getLogger("wfengine.worklist")


@dataclass(frozen=True, slots=True)
class WorklistEntry:
    """One line of a worklist: the item, its process, when it is due."""

    item: WorkItemSnapshot
    process_id: str
    due: datetime | None


def worklist(
    engine: Engine,
    user: str,
    *,
    state: WorkItemState | str | None = None,
    process_id: str | None = None,
    after: WorkItemSnapshot | None = None,
    limit: int | None = None,
) -> list[WorklistEntry]:
    """The open items offered to ``user`` (not yet claimed) or held by ``user``, oldest
    first (see :meth:`Engine.work_items_of <wfengine.runtime.engine.Engine.work_items_of>`),
    each with its process and when it is due."""
    items = engine.work_items_of(user, state=state, process_id=process_id, after=after, limit=limit)
    return entries(engine, items)


def entry(engine: Engine, item: WorkItemSnapshot) -> WorklistEntry:
    """``item`` as a worklist entry (its process and when it is due). An item of an instance
    whose version no longer compiles raises that :class:`~wfengine.errors.DeployError`:
    the one item asked for cannot be shown."""
    return _entries(engine, [item], skip=False)[0]


def entries(engine: Engine, items: list[WorkItemSnapshot]) -> list[WorklistEntry]:
    """The entries of ``items``, what their instances' due times need read for all of
    them at once.

    Items of an instance on a stored version that no longer compiles (stored by an earlier
    wfengine) are left out, a warning on the ``wfengine.worklist`` logger naming the
    instance and why, as the instance listing leaves it out: one such instance must not
    hide a user's work in every healthy process."""
    return _entries(engine, items, skip=True)


def _entries(engine: Engine, items: list[WorkItemSnapshot], *, skip: bool) -> list[WorklistEntry]:
    """The entries of ``items``: what their due times need is read for all their instances
    at once (:mod:`~wfengine.worklist.due_reads`), not instance by instance."""
    mine = _by_instance(items)
    page = page_instances(engine, list(mine))
    processes = {iid: process_id for iid, (process_id, _) in page.versions.items()}
    due: dict[str, datetime] = {}
    # a Deadline's timers (not a boundary or event timer's); one an older engine held back
    # past the timer budget lists the end of time, no due time (as it was: none)
    for timer in page.timers:
        if timer.deadline_index >= 0 and timer.due < PARKED:
            _earliest(due, timer.activity_instance_id, timer.due)
    unreadable: set[str] = set()
    with_deadlines: list[WorkItemSnapshot] = []
    for instance_id, theirs in mine.items():
        try:
            compiled = engine.deployed(*page.versions[instance_id]).compiled
        except DeployError as exc:
            if not skip:
                raise
            unreadable.add(instance_id)
            _log.warning(
                "left out the work items of instance %r (%s): %s",
                instance_id,
                ", ".join(i.id for i in theirs),
                exc,
            )
            continue
        with_deadlines += [i for i in theirs if _has_deadlines(compiled, i.activity_id)]
    spans = _fired_and_spans(engine, with_deadlines, due)
    return [
        WorklistEntry(
            i,
            processes[i.instance_id],
            due.get(spans.get(i.activity_instance_id, i.activity_instance_id)),
        )
        for i in items
        if i.instance_id not in unreadable
    ]


def _fired_and_spans(
    engine: Engine, with_deadlines: list[WorkItemSnapshot], due: dict[str, datetime]
) -> dict[str, str]:
    """Note in ``due`` when the deadlines that fired on ``with_deadlines``' instances were
    due, and return the container of each multi-instance item among them (by its activity
    instance: a multi-instance item is due when its container is)."""
    if not with_deadlines:
        return {}
    instance_ids = list(dict.fromkeys(i.instance_id for i in with_deadlines))
    # (each its own container: two containers of one activity may be open at once)
    read = deadlines(engine, instance_ids, [i for i in with_deadlines if i.mi_index is not None])
    for fired in read.fired:
        if fired.activity_instance_id is not None:  # (an event before the due time
            # was kept says only when the deadline fired)
            at = fired_due(fired.detail) or fired.at
            _earliest(due, fired.activity_instance_id, at)
    return read.containers


def _by_instance(items: list[WorkItemSnapshot]) -> dict[str, list[WorkItemSnapshot]]:
    found: dict[str, list[WorkItemSnapshot]] = {}
    for item in items:
        found.setdefault(item.instance_id, []).append(item)
    return found


def _has_deadlines(compiled: CompiledProcess, activity_id: str) -> bool:
    """Whether an item of ``activity_id`` may have deadlines (then its fired ones and its
    multi-instance container are looked up). Where activity sets repeat the Id (TIBCO files
    do), whether any holder of it has: the first compiled may be another block's without
    them, which left this one's work due at no time after its deadline fired. What is read
    then is by the item's own activity instance, so another holder's deadlines add nothing."""
    return any(act.deadlines for act in holders(compiled, activity_id))


def _earliest(due: dict[str, datetime], key: str, at: datetime) -> None:
    known = due.get(key)
    if known is None or at < known:
        due[key] = at


def may_see(engine: Engine, item: WorkItemSnapshot, user: str) -> bool:
    """Whether ``user`` may see ``item``: it is or was offered to them, they hold or own
    it, they supervise its holder or those it is offered to, or they administer; and the
    organisation knows them. Why the last: an item someone still known holds keeps its old
    assignees through a re-offer, and a closed item those it was offered to, so a user who
    had left went on reading its data and commenting on it, while the same session was
    refused the instance ("a user the organisation does not know is refused every
    operation", docs/wapi.md)."""
    org = asking(engine.directory)  # (one that fails: a DirectoryError naming it)
    if org is not None and not org.knows(user):
        return False
    if user in item.assignees or user in (item.holder, item.owner):
        return True
    if org is None:
        return False
    return org.is_admin(user) or any(org.supervises(user, p) for p in responsible(item))
