"""Why an activity instance was aborted or terminated, as attributes of its XES event.

The ``ate_abort`` event of an activity the engine closed, and the ``pi_abort`` of one its
instance's termination or abort closed (``wfengine:cause`` ``instance``), carry the cause its
``activity.aborted`` / ``activity.terminated`` detail names
(:class:`~wfengine.runtime.history.ActivityAborted`): ``wfengine:cause``, and
``wfengine:cause_event``, ``wfengine:cause_trigger``, ``wfengine:cause_name``,
``wfengine:cause_activity`` where they apply, so that process mining sees which boundary
event, deadline or join cut an activity short, not only that it was.
"""

from __future__ import annotations

from wfengine.runtime.history import CAUSE_FIELDS, EventKind
from wfengine.runtime.store import AuditEvent

_KINDS = frozenset({EventKind.ACTIVITY_ABORTED.value, EventKind.ACTIVITY_TERMINATED.value})


def cause_attributes(event: AuditEvent) -> list[tuple[str, str]]:
    """(key, value) of each cause field ``event``'s detail names (none for another kind, or
    an event recorded before causes were)."""
    detail = event.detail
    if event.kind not in _KINDS or not isinstance(detail, dict):
        return []
    found = []
    for field in CAUSE_FIELDS:
        value = detail.get(field)
        if isinstance(value, str):
            key = "wfengine:cause" if field == "cause" else f"wfengine:cause_{field}"
            found.append((key, value))
    return found


__all__ = ["cause_attributes"]
