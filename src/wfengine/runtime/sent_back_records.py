"""The records of work sent back (:attr:`~wfengine.runtime.instance.ProcessInstance.sent_back`):
who has the work of the activity it went back to again, and why, taken by the offer of the
activity instance the send-back began (its reach), and by no other.

Why bound to the reach: the record is written before the activity begins again, keyed only by
its scope and Id. A reach that closed without offering (its start assignments left a loop that
does not run, or a multi-instance activity with no instances; a boundary event that fired at
once; its incident skipped) left the record in the instance, and the activity's next reach,
reached the usual way, took it: its offer went out as ``work_item.sent_back`` with the old
reason (to the old holder). The send-back's command binds the record to its reach (or drops it,
the reach closed already: :func:`bind_sent_back`); an offer of another activity instance drops
it (:func:`take_sent_back`). A reach the command left to a worker is bound by its first offer.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from wfengine.runtime.compiled import CActivity
from wfengine.runtime.instance import ActivityInstance, ProcessInstance, Scope

#: the key naming the reach in a record: a multi-instance activity's container (the name
#: records stored before this module have), any other activity's own instance
_CONTAINER, _REACH = "container", "activity_instance"


def _record_key(scope: Scope, activity_id: str) -> str:
    return f"{scope.id}/{activity_id}"


def bind_sent_back(
    inst: ProcessInstance, scope: Scope, target: CActivity, before: Collection[str]
) -> None:
    """After a send-back's own navigation: bind the record of the work sent back to
    ``target`` in ``scope`` to the activity instance the send-back began (of those ``inst``
    holds now and not ``before``), or drop it when that one closed without offering (nobody
    got the work: a record left would go with the activity's next reach). Nothing begun yet
    (left to a worker): :func:`follow_sent_back` binds it when the worker runs it."""
    if _record_key(scope, target.id) not in inst.sent_back:
        return  # (none, or the offer took it)
    begun = [
        ai
        for aid, ai in inst.activities.items()
        if aid not in before and ai.scope is scope and ai.act is target and ai.mi_parent is None
    ]
    if begun:
        follow_sent_back(begun[-1])


def follow_sent_back(ai: ActivityInstance) -> None:
    """``ai`` (an activity instance, or an instance of a multi-instance one) runs, or was
    closed: when its activity's work was sent back, bind the record to it when no other
    activity instance has it, and drop the record it has when it closed (nobody got the
    work)."""
    inst = ai.scope.instance
    key = _record_key(ai.scope, ai.act.id)
    found = inst.sent_back.get(key)
    if found is None:
        return
    reach, mark = (ai, _REACH) if ai.mi_parent is None else (ai.mi_parent, _CONTAINER)
    if found.setdefault(mark, reach.id) == reach.id and reach.state.is_closed:
        del inst.sent_back[key]


def take_sent_back(inst: ProcessInstance, ai: ActivityInstance) -> dict[str, Any] | None:
    """Who has ``ai``'s work again and why, when it was sent back to its activity (None
    otherwise). The offer takes it; but every instance of a multi-instance activity sent back
    to is told, so there it stays for the instances of that round (the first one offered
    marks it with its container, unless it was bound before) and is dropped by an instance of
    a later round. A record bound to another activity instance (its reach closed without
    offering) is dropped, not taken."""
    key = _record_key(ai.scope, ai.act.id)
    found = inst.sent_back.get(key)
    if found is None:
        return None
    container = ai.mi_parent
    reach, mark = (ai, _REACH) if container is None else (container, _CONTAINER)
    if found.setdefault(mark, reach.id) != reach.id:  # an old round's, or an old reach's
        del inst.sent_back[key]
        return None
    if container is None:
        del inst.sent_back[key]
    return {k: v for k, v in found.items() if k not in (_CONTAINER, _REACH)}
