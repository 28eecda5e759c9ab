"""The memory store refuses a record whose id another record holds already.

Why: the memory store keeps records in dicts by id, so an
:class:`~wfengine.runtime.ids.IdGenerator` of the host's that handed out an id twice made the
second process instance (or work item) silently replace the first: its data, its work and
its trail's owner gone, with no error. The SQL stores refuse the row (a primary key). Ids
are the host's to choose (:class:`~wfengine.runtime.ids.UuidIds`, case numbers), so the
store checks them, before it stores anything of the step.
"""

from __future__ import annotations

from collections.abc import Mapping

from wfengine.errors import StoreError
from wfengine.runtime.instance import ProcessInstance, WorkItem
from wfengine.runtime.store import Step


class IdTakenError(StoreError):
    """A new record's id is another record's already: the id generator repeated an id."""


def refuse_taken_ids(
    instances: Mapping[str, ProcessInstance], work_items: Mapping[str, WorkItem], step: Step
) -> None:
    """Raise :class:`IdTakenError` when ``step`` stores a process instance or work item
    under an id a different stored one has (the one stored is the same object when a
    command changed it: the memory store's records are the live ones)."""
    for inst in step.instances.values():
        held = instances.get(inst.id)
        if held is not None and held is not inst:
            raise IdTakenError(_taken("process instance", inst.id, held.process_id))
    for item in step.work_items:
        had = work_items.get(item.id)
        if had is not None and had is not item:
            raise IdTakenError(_taken("work item", item.id, had.instance_id))


def _taken(kind: str, ident: str, of: str) -> str:
    return (
        f"{kind} {ident!r} is stored already (of {of!r}): the id generator handed out an id "
        "in use, and storing the new one would replace it; nothing was stored. An "
        "IdGenerator must never repeat an id (see wfengine.runtime.ids)"
    )
