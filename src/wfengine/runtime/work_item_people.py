"""Who had a work item in hand, as a closing outbox entry names them.

Why: a ``work_item.completed`` or ``work_item.cancelled`` entry carried only the item's
``assignees``, so whoever held it without being one of them (it was reassigned or delegated to
them) and the owner who delegated it never heard that it was completed by someone else or
withdrawn. The entry names them too (:func:`people_in_hand`), and the notifiers tell
assignees, holder and owner, each once (:mod:`wfengine.worklist.notifiers`).
"""

from __future__ import annotations

from wfengine.runtime.instance import WorkItem


def people_in_hand(item: WorkItem) -> dict[str, str]:
    """``holder`` and ``owner`` of ``item``, for an outbox entry's payload: each only when the
    item has one, so an entry about an item nobody held is what it always was."""
    found: dict[str, str] = {}
    if item.holder is not None:
        found["holder"] = item.holder
    if item.owner is not None:
        found["owner"] = item.owner
    return found
