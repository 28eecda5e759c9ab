"""The records of work sent back (:attr:`~wfengine.runtime.instance.ProcessInstance.sent_back`):
who has the work of the activity it went back to again, and why, taken by the offer of the
activity instance the send-back began (its reach), and by no other.

Why bound to the reach: the record is written before the activity begins again, keyed only by
its scope and Id. A reach that closed without offering (its start assignments left a loop that
does not run, or a multi-instance activity with no instances; a boundary event that fired at
once; its incident skipped; its applications failed on to an exception) left the record in the
instance, and the activity's next reach, reached the usual way, took it: its offer went out as
``work_item.sent_back`` with the old reason (to the old holder). So the navigator binds the
record as the reach begins (:func:`bind_sent_back`), whenever that is: in the send-back's own
command, or later in the ``continue`` job of an engine that leaves automatic work to workers;
and drops it as the reach closes (:func:`drop_sent_back`): offered, it was taken then (a
multi-instance activity's instances of that round all took it), else nobody got the work. An
offer of another activity instance drops it, not takes it (:func:`take_sent_back`). A record
an earlier release left unbound, whose reach closed then without offering, is dropped as a
command first touches its instance (:func:`drop_unreachable`).
"""

from __future__ import annotations

from typing import Any

from wfengine.runtime.instance import ActivityInstance, ProcessInstance, Scope

#: the key naming the reach in a record: a multi-instance activity's container (the only
#: name the release before the reach was bound knows: it hands any other key on in its
#: ``work_item.sent_back`` payload), any other activity's own instance
_CONTAINER, _REACH = "container", "activity_instance"


def _record(ai: ActivityInstance) -> tuple[str, dict[str, Any] | None]:
    key = f"{ai.scope.id}/{ai.act.id}"
    return key, ai.scope.instance.sent_back.get(key)


def _reach_key(ai: ActivityInstance) -> str:
    """The key naming ``ai`` as the reach in a record: a multi-instance container's, else
    its own."""
    loop = ai.act.loop
    return _CONTAINER if loop is not None and loop.multi else _REACH


def _bound_to(found: dict[str, Any], reach: ActivityInstance) -> str | None:
    """The activity instance ``found`` is bound to, for ``reach`` (an activity instance or a
    multi-instance container): None when unbound. A container's record is marked
    ``container`` only: one a release bound with its reach's key (07997fe) is moved there."""
    key = _reach_key(reach)
    if key == _CONTAINER and _REACH in found:
        found.setdefault(_CONTAINER, found.pop(_REACH))
    return found.get(key)


def bind_sent_back(ai: ActivityInstance) -> None:
    """``ai`` (an activity instance, or a multi-instance container; not one of its instances)
    begins: when its activity's work was sent back and no activity instance has the record
    yet, bind the record to it."""
    _, found = _record(ai)
    if found is not None and _bound_to(found, ai) is None:
        found[_reach_key(ai)] = ai.id


def drop_sent_back(ai: ActivityInstance) -> None:
    """``ai`` closed: drop the record bound to it (not taken by an offer: nobody got the
    work), or left unbound by a release that did not bind it as it began (the reach it
    began is the one open activity instance of its activity: this one)."""
    if ai.mi_parent is not None:
        return  # (the record is its container's)
    key, found = _record(ai)
    if found is not None and _bound_to(found, ai) in (None, ai.id):
        del ai.scope.instance.sent_back[key]


def take_sent_back(inst: ProcessInstance, ai: ActivityInstance) -> dict[str, Any] | None:
    """Who has ``ai``'s work again and why, when it was sent back to its activity (None
    otherwise). The offer takes it; but every instance of a multi-instance activity sent back
    to is told, so there it stays for the instances of that round (until its container
    closes). A record bound to another activity instance (a reach or round that ended
    without offering, kept by a release that did not drop it) is dropped, not taken."""
    key, found = _record(ai)
    if found is None:
        return None
    container = ai.mi_parent
    reach = ai if container is None else container
    bound = _bound_to(found, reach)
    if bound is None:  # (left unbound by a release that did not bind it as it began)
        bind_sent_back(reach)
    elif bound != reach.id:
        del inst.sent_back[key]
        return None
    if container is None:
        del inst.sent_back[key]
    return {k: v for k, v in found.items() if k not in (_CONTAINER, _REACH)}


def drop_unreachable(inst: ProcessInstance) -> None:
    """Drop the records of ``inst`` that nothing can take any more: unbound (left so by a
    release that bound none as its reach began), and nothing of their activity open in their
    scope or parked to begin there. Called as a command first touches ``inst``: this release
    binds a record as its reach begins, in the command that wrote it, or in the ``continue``
    job of the begin it parked; so an unbound record that is neither open nor parked is one
    whose reach closed without offering, under that release, and the activity's next reach
    would take it (told as sent back, with the old reason, to the old holder)."""
    for key, found in list(inst.sent_back.items()):
        if _CONTAINER not in found and _REACH not in found and not _may_take(inst, key):
            del inst.sent_back[key]


def _may_take(inst: ProcessInstance, key: str) -> bool:
    """Can an activity instance still take the record ``key`` (``<scope>/<activity>``): one
    open in that scope, or a begin parked there?"""
    scope_id, _, activity_id = key.partition("/")
    scope = inst.scopes.get(int(scope_id)) if scope_id.isdigit() else None
    if scope is None or scope.closed:
        return False
    if any(isinstance(a, Scope) and a is scope and b.id == activity_id for _, a, b in inst.parked):
        return True
    return any(
        ai.scope is scope and ai.act.id == activity_id and ai.mi_parent is None and ai.state.is_open
        for ai in inst.activities.values()
    )
