"""Why the engine aborted or terminated an activity instance, named on its audit record.

An interrupt closes an activity through ``_cancel_activity``, which is reached from many
places (a boundary event, an event sub-process, a thrown error, a deadline, a cancelling
join, a Terminate end event, the instance's own termination) and closes everything under
it too: a block's activities, a multi-instance activity's instances. Rather than thread a
reason through every one of those calls, the place that decides wraps its cancel in
:func:`aborted_by`, which names the cause afterwards on the ``activity.aborted`` and
``activity.terminated`` events the instance recorded meanwhile, the way
:mod:`wfengine.runtime.acted_by` names an operator. An event that already names a cause
keeps it: an inner interrupt that ran first said why its own activities closed.

Only the interrupted instance's trail is named: a synchronous subflow instance closed along
says so in its ``instance.state`` (``by``: its caller), and its activities name
``"instance"`` as the cause, as an instance terminated by itself does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from wfengine.runtime.history import EventKind, read_payload
from wfengine.runtime.instance import ProcessInstance

#: the kinds that record an activity instance closed by the engine or an operator
_KINDS = frozenset({EventKind.ACTIVITY_ABORTED.value, EventKind.ACTIVITY_TERMINATED.value})


@dataclass(frozen=True, slots=True)
class Cause:
    """Why: the fields :class:`~wfengine.runtime.history.ActivityAborted` records
    (``cause``, then the ``event`` and its ``trigger`` and ``name``, or the ``activity``)."""

    cause: str
    event: str | None = None
    trigger: str | None = None
    name: str | None = None
    activity: str | None = None


@contextmanager
def aborted_by(inst: ProcessInstance, cause: Cause) -> Iterator[None]:
    """Name ``cause`` on the activity closings ``inst`` records in the ``with`` block."""
    since = len(inst.changes)
    yield
    changes = inst.changes
    for n in range(since, len(changes)):
        at, kind, ai_id, act_id, detail = changes[n]
        if kind not in _KINDS or (detail is not None and "cause" in detail):
            continue
        payload = read_payload(kind, detail)
        assert payload is not None
        named = dataclasses.replace(payload, **dataclasses.asdict(cause))  # type: ignore[type-var]
        changes[n] = (at, kind, ai_id, act_id, named.detail())


__all__ = ["Cause", "aborted_by"]
