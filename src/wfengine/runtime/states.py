"""The WfMC state machines of process and activity instances, and of work items.

The state strings are the WfMC / OMG workflow-facility names exactly, because audit records,
exports and the command line show them and other tools match on them. Each machine is a table
from state to the states it may move to; :func:`check` is the one gate every change goes
through, so an illegal request is refused *before* anything is touched.
"""

from __future__ import annotations

from enum import StrEnum

from wfengine.errors import IllegalStateError


class _LifecycleState(StrEnum):
    """Base of the process and activity states: both use the WfMC ``open.*``/``closed.*`` names,
    so whether a state is open or closed is read off its name the same way for both.
    """

    # a member is its name (a str): read without the Enum ``value`` descriptor, as navigation
    # asks these for every activity it moves

    @property
    def is_open(self) -> bool:
        return str.startswith(self, "open.")

    @property
    def is_closed(self) -> bool:
        return str.startswith(self, "closed.")


class ProcessState(_LifecycleState):
    """A process instance's WfMC state (see ``check_process`` for the allowed changes)."""

    NOT_STARTED = "open.not_running.not_started"
    RUNNING = "open.running"
    SUSPENDED = "open.not_running.suspended"
    COMPLETED = "closed.completed"
    TERMINATED = "closed.terminated"
    ABORTED = "closed.aborted"


class ActivityState(_LifecycleState):
    """An activity instance's WfMC state (the same names as the process states)."""

    NOT_STARTED = "open.not_running.not_started"
    RUNNING = "open.running"
    SUSPENDED = "open.not_running.suspended"
    COMPLETED = "closed.completed"
    TERMINATED = "closed.terminated"
    ABORTED = "closed.aborted"


class WorkItemState(StrEnum):
    """A work item's WfMC life cycle: offered to the performer's members, allocated to one of
    them (claimed, delegated or reassigned), started, then completed, or cancelled (withdrawn)
    when its activity closes another way. Released work goes back to offered."""

    OFFERED = "offered"
    ALLOCATED = "allocated"
    STARTED = "started"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        """Still waiting for someone: offered, allocated or started."""
        return self in _OPEN_ITEMS


#: state -> states reachable in one change. Closed states are final.
PROCESS_TRANSITIONS: dict[ProcessState, frozenset[ProcessState]] = {
    ProcessState.NOT_STARTED: frozenset(
        {ProcessState.RUNNING, ProcessState.TERMINATED, ProcessState.ABORTED}
    ),
    ProcessState.RUNNING: frozenset(
        {
            ProcessState.SUSPENDED,
            ProcessState.COMPLETED,
            ProcessState.TERMINATED,
            ProcessState.ABORTED,
        }
    ),
    ProcessState.SUSPENDED: frozenset(
        {ProcessState.RUNNING, ProcessState.TERMINATED, ProcessState.ABORTED}
    ),
    ProcessState.COMPLETED: frozenset(),
    ProcessState.TERMINATED: frozenset(),
    ProcessState.ABORTED: frozenset(),
}

ACTIVITY_TRANSITIONS: dict[ActivityState, frozenset[ActivityState]] = {
    ActivityState.NOT_STARTED: frozenset(
        {
            ActivityState.RUNNING,
            ActivityState.SUSPENDED,
            ActivityState.COMPLETED,
            ActivityState.TERMINATED,
            ActivityState.ABORTED,
        }
    ),
    ActivityState.RUNNING: frozenset(
        {
            ActivityState.SUSPENDED,
            ActivityState.COMPLETED,
            ActivityState.TERMINATED,
            ActivityState.ABORTED,
        }
    ),
    ActivityState.SUSPENDED: frozenset(
        {ActivityState.RUNNING, ActivityState.TERMINATED, ActivityState.ABORTED}
    ),
    ActivityState.COMPLETED: frozenset(),
    ActivityState.TERMINATED: frozenset(),
    ActivityState.ABORTED: frozenset(),
}

#: The members the engine reads on every step, read once: a member is a class attribute
#: look-up through the enum's metaclass (some 75 ns), several per instance. One set, here, so
#: that a name means one state wherever it is imported (``P_``: a process instance's state,
#: ``A_``: an activity instance's), where eight modules had aliases of their own (``_RUNNING``
#: was a process's state in one and an activity's in another).
P_NOT_STARTED = ProcessState.NOT_STARTED
P_RUNNING = ProcessState.RUNNING
P_SUSPENDED = ProcessState.SUSPENDED
P_COMPLETED = ProcessState.COMPLETED
P_ABORTED = ProcessState.ABORTED
A_NOT_STARTED = ActivityState.NOT_STARTED
A_RUNNING = ActivityState.RUNNING
A_COMPLETED = ActivityState.COMPLETED
A_ABORTED = ActivityState.ABORTED
A_TERMINATED = ActivityState.TERMINATED

_OPEN_ITEMS = frozenset({WorkItemState.OFFERED, WorkItemState.ALLOCATED, WorkItemState.STARTED})

#: allocated -> allocated is a delegation or a reassignment; started -> allocated too (the new
#: holder starts it again); allocated or started -> offered is a release
WORK_ITEM_TRANSITIONS: dict[WorkItemState, frozenset[WorkItemState]] = {
    WorkItemState.OFFERED: frozenset(
        {
            WorkItemState.ALLOCATED,
            WorkItemState.STARTED,
            WorkItemState.COMPLETED,
            WorkItemState.CANCELLED,
        }
    ),
    WorkItemState.ALLOCATED: frozenset(
        {
            WorkItemState.OFFERED,
            WorkItemState.ALLOCATED,
            WorkItemState.STARTED,
            WorkItemState.COMPLETED,
            WorkItemState.CANCELLED,
        }
    ),
    WorkItemState.STARTED: frozenset(
        {
            WorkItemState.OFFERED,
            WorkItemState.ALLOCATED,
            WorkItemState.COMPLETED,
            WorkItemState.CANCELLED,
        }
    ),
    WorkItemState.COMPLETED: frozenset(),
    WorkItemState.CANCELLED: frozenset(),
}


def check_process(subject: str, current: ProcessState, target: ProcessState, verb: str) -> None:
    """Raise :class:`IllegalStateError` unless ``current -> target`` is allowed."""
    if target not in PROCESS_TRANSITIONS[current]:
        raise IllegalStateError(subject, current.value, verb)


def check_activity(subject: str, current: ActivityState, target: ActivityState, verb: str) -> None:
    if target not in ACTIVITY_TRANSITIONS[current]:
        raise IllegalStateError(subject, current.value, verb)


def check_work_item(subject: str, current: WorkItemState, target: WorkItemState, verb: str) -> None:
    if target not in WORK_ITEM_TRANSITIONS[current]:
        raise IllegalStateError(subject, current.value, verb)


__all__ = [
    "ACTIVITY_TRANSITIONS",
    "PROCESS_TRANSITIONS",
    "WORK_ITEM_TRANSITIONS",
    "ActivityState",
    "ProcessState",
    "WorkItemState",
    "check_activity",
    "check_process",
    "check_work_item",
]
