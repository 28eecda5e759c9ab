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

from wfengine.runtime.instance import (
    BOUNDARY_TIMER,
    EVENT_TIMER,
    SCOPE_TIMER,
    SCOPE_TIMERS,
    ProcessInstance,
)

#: what a timer is for (:attr:`~wfengine.runtime.snapshots.TimerSnapshot.kind`): an
#: activity's Deadline, an intermediate timer event in the flow, a timer event attached to
#: an activity, or the Timer start event of an event sub-process
DEADLINE = "deadline"
TIMER_EVENT = "timer_event"
BOUNDARY_EVENT = "boundary_event"
EVENT_SUBPROCESS_START = "event_subprocess_start"


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


def timer_kind(deadline_index: int) -> str:
    """What a timer whose row has ``deadline_index`` is for: :data:`DEADLINE`,
    :data:`TIMER_EVENT`, :data:`BOUNDARY_EVENT` or :data:`EVENT_SUBPROCESS_START`."""
    if deadline_index >= 0:
        return DEADLINE
    if deadline_index == EVENT_TIMER:
        return TIMER_EVENT
    return BOUNDARY_EVENT if deadline_index > SCOPE_TIMER else EVENT_SUBPROCESS_START


def timer_event(
    inst: ProcessInstance, activity_instance_id: str, deadline_index: int
) -> str | None:
    """The id of the activity or event whose timer it is: the activity of a deadline, the
    intermediate timer event itself, the attached timer event (not the activity it is
    attached to: two on one activity are told apart), or an event sub-process's Timer start
    event (whose activity set's block :func:`timer_activity` names); None when that is gone.

    Why beside :func:`timer_activity`: a host listing timers (``Engine.timers()``) must know
    which event a timer stands for, and the row says it only in the engine's numbering."""
    if deadline_index <= SCOPE_TIMER:
        scope_id, position = divmod(SCOPE_TIMER - deadline_index, SCOPE_TIMERS)
        scope = inst.scopes.get(scope_id)
        if scope is None or position >= len(scope.graph.event_subs):
            return None
        sub = scope.graph.event_subs[position]
        block = scope.graph.activities[sub.block].block
        if block is None or not 0 <= sub.trigger.event < len(block.activities):
            return None
        return block.activities[sub.trigger.event].id
    ai = inst.activities.get(activity_instance_id)
    if ai is None:
        return None
    if deadline_index > BOUNDARY_TIMER:  # a deadline, or the timer event itself
        return ai.act.id
    position = BOUNDARY_TIMER - deadline_index
    if position >= len(ai.act.boundaries):
        return None
    return ai.scope.graph.activities[ai.act.boundaries[position].event].id


__all__ = [
    "BOUNDARY_EVENT",
    "DEADLINE",
    "EVENT_SUBPROCESS_START",
    "TIMER_EVENT",
    "timer_activity",
    "timer_event",
    "timer_kind",
]
