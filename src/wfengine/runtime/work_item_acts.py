"""Which states each work item command acts on, and its refusal when the item or its instance
is in another: looked at quickly first (:func:`may_act`), with the words made only for a
refusal (:func:`refuse_act`). Why: every command built its error subject (three reprs) before
it knew whether anything was wrong, for most commands nothing.
"""

from __future__ import annotations

from wfengine.errors import IllegalStateError
from wfengine.runtime.instance import ProcessInstance, WorkItem
from wfengine.runtime.states import (
    P_RUNNING,
    WORK_ITEM_TRANSITIONS,
    ProcessState,
    WorkItemState,
    check_work_item,
)

#: read once (an enum member is a class attribute look-up through the enum's metaclass, some
#: 90 ns on Python 3.11: every work item command asks whether its instance runs)
_ALLOCATED, _STARTED, _OFFERED = (
    WorkItemState.ALLOCATED,
    WorkItemState.STARTED,
    WorkItemState.OFFERED,
)

#: the states each command acts on (the state machine allows more changes than one command
#: makes: allocated -> allocated is a delegation or a reassignment, never a second claim)
ACTS_ON: dict[str, frozenset[WorkItemState]] = {
    "claim": frozenset({_OFFERED}),
    "start": frozenset({_OFFERED, _ALLOCATED}),
    "release": frozenset({_ALLOCATED, _STARTED}),
    "delegate": frozenset({_OFFERED, _ALLOCATED, _STARTED}),
    "reassign": frozenset({_OFFERED, _ALLOCATED, _STARTED}),
    "complete": frozenset({_OFFERED, _ALLOCATED, _STARTED}),
    "send back": frozenset({_ALLOCATED, _STARTED}),
}

#: the command each operation is, as a refused id names it (made once, not per command)
COMMANDS = {operation: f"{operation.replace(' ', '_')}_work_item" for operation in ACTS_ON}


def may_act(item: WorkItem, inst: ProcessInstance, target: WorkItemState, operation: str) -> bool:
    """Whether ``operation`` (moving ``item`` to ``target``) passes :func:`refuse_act`'s
    checks: the item's state is one the command acts on and may move to ``target``, and its
    instance is running."""
    return (
        item.state in ACTS_ON[operation]
        and target in WORK_ITEM_TRANSITIONS[item.state]
        and inst.state is P_RUNNING
    )


def subject_of(work_item_id: str, item: WorkItem, inst: ProcessInstance) -> str:
    """How a work item command's errors name the item."""
    return f"work item {work_item_id!r} (activity {item.activity_id!r} of instance {inst.id!r})"


def refuse_act(
    subject: str, item: WorkItem, inst: ProcessInstance, target: WorkItemState, operation: str
) -> None:
    """Raise :class:`~wfengine.errors.IllegalStateError` for the first reason ``operation``
    may not act on ``item`` now (its state, the move to ``target``, its instance's state);
    called once a quick look found one, so the words are made only then."""
    if item.state not in ACTS_ON[operation]:
        # allocated *to* its holder (whoever allocated it), started by them
        how = " by" if item.state is WorkItemState.STARTED else " to"
        held = f"{how} {item.holder!r}" if item.holder and item.state.is_open else ""
        raise IllegalStateError(subject, f"{item.state.value}{held}", operation)
    check_work_item(subject, item.state, target, operation)
    if inst.state is not ProcessState.RUNNING:
        raise IllegalStateError(subject, f"in an instance that is {inst.state.value}", operation)
