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
) -> list[WorklistEntry]:
    """The open items offered to ``user`` (not yet claimed) or held by ``user``, oldest
    first; ``state`` and ``process_id`` narrow the list."""
    wanted = None if state is None else WorkItemState(state)
    mine = [
        item
        for item in engine.work_items()
        if item.holder == user or (item.state is WorkItemState.OFFERED and user in item.assignees)
        if wanted is None or item.state is wanted
    ]
    if not mine:
        return []
    processes = {s.id: s.process_id for s in engine.instance_summaries()}
    due: dict[str, datetime] = {}
    for timer in engine.timers():
        known = due.get(timer.activity_instance_id)
        if known is None or timer.due < known:
            due[timer.activity_instance_id] = timer.due
    return [
        WorklistEntry(item, processes[item.instance_id], due.get(item.activity_instance_id))
        for item in mine
        if process_id is None or processes[item.instance_id] == process_id
    ]


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
