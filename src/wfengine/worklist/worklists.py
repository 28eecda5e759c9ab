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
from wfengine.runtime.work_rules import responsible, supervision_of


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
    return _entries(engine, items)


def entry(engine: Engine, item: WorkItemSnapshot) -> WorklistEntry:
    """``item`` as a worklist entry (its process and when it is due)."""
    return _entries(engine, [item])[0]


def _entries(engine: Engine, items: list[WorkItemSnapshot]) -> list[WorklistEntry]:
    """The entries of ``items``, each instance's process and timers read once."""
    processes: dict[str, str] = {}
    due: dict[str, datetime] = {}
    for instance_id in dict.fromkeys(i.instance_id for i in items):
        processes[instance_id] = engine.instance(instance_id).process_id
        for timer in engine.timers(instance_id):
            known = due.get(timer.activity_instance_id)
            if known is None or timer.due < known:
                due[timer.activity_instance_id] = timer.due
    return [
        WorklistEntry(i, processes[i.instance_id], due.get(i.activity_instance_id)) for i in items
    ]


def may_see(engine: Engine, item: WorkItemSnapshot, user: str) -> bool:
    """Whether ``user`` may see ``item``: it is or was offered to them, they hold or own
    it, they supervise its holder or those it is offered to, or they administer."""
    if user in item.assignees or user in (item.holder, item.owner):
        return True
    org = supervision_of(engine.directory)
    if org is None:
        return False
    return org.is_admin(user) or any(org.supervises(user, p) for p in responsible(item))
