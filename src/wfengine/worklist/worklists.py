"""A user's worklist: the open work items offered to them or held by them.

A view over the engine's records (Interface 2's "open work list"): each entry is the work
item with the process it belongs to and when it is due (the earliest deadline timer of its
activity, None when it has none), oldest first. Reads only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from wfengine.runtime.engine import Engine
from wfengine.runtime.snapshots import WorkItemSnapshot
from wfengine.runtime.states import WorkItemState
from wfengine.runtime.work_rules import Supervision


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
    return [entry(engine, item) for item in items]


def entry(engine: Engine, item: WorkItemSnapshot) -> WorklistEntry:
    """``item`` as a worklist entry (its process and when it is due)."""
    due = [
        t.due
        for t in engine.timers(item.instance_id)
        if t.activity_instance_id == item.activity_instance_id
    ]
    return WorklistEntry(item, engine.instance(item.instance_id).process_id, min(due, default=None))


def may_see(engine: Engine, item: WorkItemSnapshot, user: str) -> bool:
    """Whether ``user`` may see ``item``: it is or was offered to them, they hold or own
    it, they supervise its holder or those it is offered to, or they administer."""
    if user in item.assignees or user in (item.holder, item.owner):
        return True
    org = engine.directory if isinstance(engine.directory, Supervision) else None
    if org is None:
        return False
    people = (item.holder,) if item.holder is not None else item.assignees
    return org.is_admin(user) or any(org.supervises(user, p) for p in people)
