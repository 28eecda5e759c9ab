"""Which activity a stored timer is for, as listings name it (``run --json``'s ``waiting``,
and :meth:`~wfengine.runtime.engine.Engine.timers` read with it).

Why a module of its own: a timer row names an activity instance and a ``deadline_index``
whose meaning is the engine's (a deadline ``n >= 0``, a boundary timer
``BOUNDARY_TIMER - n``, an event sub-process's timer ``SCOPE_TIMER - (scope * SCOPE_TIMERS +
n)`` with the *instance's* id as its activity instance: no activity instance runs an event
sub-process before it starts). Reading it back is one rule, kept beside those constants'
users rather than in each listing.
"""

from __future__ import annotations

from wfengine.runtime.instance import SCOPE_TIMER, SCOPE_TIMERS, ProcessInstance


def timer_activity(
    inst: ProcessInstance, activity_instance_id: str, deadline_index: int
) -> str | None:
    """The id of the activity a timer of ``inst`` is for: the activity whose deadline or
    attached timer event it is, or for an event sub-process's timer the block activity that
    runs the event sub-process (its ``TriggeredByEvent`` activity set's block, as the
    incident of a timer not set names it); None when that is gone (closed meanwhile)."""
    if deadline_index <= SCOPE_TIMER:
        scope_id, position = divmod(SCOPE_TIMER - deadline_index, SCOPE_TIMERS)
        scope = inst.scopes.get(scope_id)
        if scope is None or position >= len(scope.graph.event_subs):
            return None
        return scope.graph.activities[scope.graph.event_subs[position].block].id
    ai = inst.activities.get(activity_instance_id)
    return None if ai is None else ai.act.id


__all__ = ["timer_activity"]
