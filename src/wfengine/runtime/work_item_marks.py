"""Work items as the engine hands them out, marked when their instance is suspended.

Why: a user's work list (``Engine.work_items_of``, the WAPI ``open_work_list``, ``wfengine
worklist``) showed the work of a suspended instance (a synchronous subflow is suspended with
its caller) exactly like live work, and every action on it was then refused with
``IllegalStateError``. The work stays listed (hidden, it reads as lost: "where did my item
go?"), marked :attr:`~wfengine.runtime.snapshots.WorkItemSnapshot.suspended`.

The work item's record does not know its instance's state, so a listing asks the store for the
states of the instances it lists at once, never once per item
(:meth:`~wfengine.runtime.store.Store.suspended_among`): a SQL store's item reads carry their
instances' states (``work_items(iid)`` is one statement, as it was before the marks); the
memory store looks its instances up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from wfengine.errors import NotFoundError
from wfengine.runtime.snapshots import WorkItemSnapshot, snapshot_copier, work_item_snapshot
from wfengine.runtime.states import ProcessState, WorkItemState
from wfengine.runtime.store import Store

if TYPE_CHECKING:
    from wfengine.runtime.instance import WorkItem

#: the protocol's own stub, which a subclass that does not write the method inherits
_PROTOCOL_METHOD = vars(Store)["suspended_among"]

#: the open states (``WorkItemState.is_open``), read once: a property call per item before
_OPEN = frozenset(state for state in WorkItemState if state.is_open)

#: how a record is copied into its snapshot (made once; looked up per listing before)
_COPY = snapshot_copier(WorkItemSnapshot)


def marked(store: Store, records: Sequence[WorkItem]) -> list[WorkItemSnapshot]:
    """Snapshots of ``records`` (just read from ``store``), in their order, each open one
    marked ``suspended`` when its instance is suspended (one look-up of the states of the
    instances they are in). A closed item is not looked up: no one can act on it whatever
    its instance's state, and reading history (an instance's past items, one by one) costs
    no more than it did."""
    if not records:  # (every step's last look at an instance's work: none left)
        return []
    if len(records) == 1:  # (an instance's one item, at most steps: no comprehension's call,
        one = records[0]  # no list of the instances to look up but the store's argument)
        if one.state in _OPEN and one.instance_id in _suspended_among(store, [one.instance_id]):
            return [work_item_snapshot(one, suspended=True)]
        return [_COPY(one)]
    open_in = [w.instance_id for w in records if w.state in _OPEN]
    if len(open_in) > 1:  # (one instance's items, or a user's: each instance once)
        open_in = list(dict.fromkeys(open_in))
    suspended = _suspended_among(store, open_in) if open_in else None
    if not suspended:  # (nearly always: one copy per item, no second look at its state)
        return [_COPY(w) for w in records]
    return [
        work_item_snapshot(w, suspended=w.state in _OPEN and w.instance_id in suspended)
        for w in records
    ]


def _suspended_among(store: Store, instance_ids: list[str]) -> set[str]:
    """The store's own answer; a host's store written before the method was in the protocol
    (:data:`~wfengine.runtime.store.OPTIONAL_METHODS`) is asked each instance's summary."""
    method = getattr(store, "suspended_among", None)
    if callable(method) and getattr(method, "__func__", None) is not _PROTOCOL_METHOD:
        answered = method(instance_ids)  # (a set already, from the stores that ship)
        return answered if type(answered) is set else set(answered)
    found = set()
    for instance_id in instance_ids:
        try:
            if store.instance_summary(instance_id).state is ProcessState.SUSPENDED:
                found.add(instance_id)
        except NotFoundError:
            pass
    return found
