"""Work items as the engine hands them out, marked when their instance is suspended.

Why: a user's work list (``Engine.work_items_of``, the WAPI ``open_work_list``, ``wfengine
worklist``) showed the work of a suspended instance (a synchronous subflow is suspended with
its caller) exactly like live work, and every action on it was then refused with
``IllegalStateError``. The work stays listed (hidden, it reads as lost: "where did my item
go?"), marked :attr:`~wfengine.runtime.snapshots.WorkItemSnapshot.suspended`.

The work item's record does not know its instance's state, so a listing looks up the states of
the instances it lists at once, never once per item: on a SQL store one read of their rows'
columns (the ``process_instances`` primary key); on another store (the memory store) one
listing of its suspended instances.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from wfengine.errors import NotFoundError
from wfengine.runtime.snapshots import InstanceSummary, WorkItemSnapshot, work_item_snapshot
from wfengine.runtime.states import ProcessState

if TYPE_CHECKING:
    import sqlalchemy as sa

    from wfengine.runtime.instance import WorkItem
    from wfengine.runtime.store import Store


def marked(store: Store, records: Sequence[WorkItem]) -> list[WorkItemSnapshot]:
    """Snapshots of ``records``, in their order, each open one marked ``suspended`` when its
    instance is suspended (one look-up of the states of the instances they are in). A
    closed item is not looked up: no one can act on it whatever its instance's state, and
    reading history (an instance's past items, one by one) costs no more than it did."""
    open_in = {w.instance_id: None for w in records if w.state.is_open}
    suspended = suspended_instances(store, open_in) if open_in else set()
    return [
        work_item_snapshot(w, suspended=w.state.is_open and w.instance_id in suspended)
        for w in records
    ]


def suspended_instances(store: Store, instance_ids: Collection[str]) -> set[str]:
    """Which of ``instance_ids`` are suspended instances (one gone meanwhile, or whose row
    cannot be read, is not: its work is not listed as suspended), asking ``store`` once: one
    instance's summary (one statement on a SQL store, and a command's own copy when a
    command holds it); many instances' rows by their ids on a SQL store; else the store's
    suspended instances (a store that reads no id lists, the memory store: in memory)."""
    ids = list(instance_ids)
    if len(ids) == 1:
        found = [s for s in [_summary(store, ids[0])] if s is not None]
    elif _by_id_list(store):
        from wfengine.runtime.sql import listing

        def read(conn: sa.Connection) -> list[InstanceSummary]:
            return listing.summaries_of(conn, ids)

        found = store.transaction(read, write=False)  # type: ignore[attr-defined]
    else:
        found = store.instance_summaries(state=ProcessState.SUSPENDED)
    return {s.id for s in found if s.state is ProcessState.SUSPENDED} & set(ids)


def _summary(store: Store, instance_id: str) -> InstanceSummary | None:
    try:
        return store.instance_summary(instance_id)
    except NotFoundError:  # (removed between the listing and this look-up)
        return None


def _by_id_list(store: Any) -> bool:
    """Is ``store`` a SQL store (whose rows :mod:`wfengine.runtime.sql.listing` reads by id
    lists)? Asked as :mod:`wfengine.runtime.listing_facts` asks it."""
    if getattr(store, "transaction", None) is None:
        return False
    from wfengine.runtime.sql.store import SqlStore

    return isinstance(store, SqlStore)
