"""``cancel-uncaught``: a Cancel end event (or intermediate Cancel event in the flow) that
nothing in the package can catch.

A Cancel throw travels up to a Cancel event attached to an enclosing activity: the block
activity running its activity set, then the one running that block's set, and so on, and at the
top of a process the activity that called it as a subflow. Nothing else catches it (no event
sub-process starts on Cancel, no exception transition takes one), so with none of those an
instance reaching it stops with an incident (``run``), found only then. BPMN allows a Cancel end
event only inside a transaction sub-process, whose Cancel boundary event is its catch.

A process that some activity of the package calls synchronously as a subflow is passed over
(the caller, or what encloses it, may catch), and so is a throw whose scope a block activity
with an attached Cancel event runs. An asynchronous call does not count: its caller has gone on
without waiting, so nothing is there to catch the cancel. A process called only asynchronously,
or only from another package, is warned of, which the message says.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context, Scope
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.graph import activity_of, is_boundary_event
from wfengine.definition.model import (
    Activity,
    BlockActivity,
    EventPosition,
    Execution,
    SubFlowImplementation,
    WorkflowProcess,
)


def _throws_cancel(activity: Activity) -> bool:
    event = activity.event
    if event is None or event.trigger != "Cancel":
        return False
    return event.position is EventPosition.END or (
        event.position is EventPosition.INTERMEDIATE and not is_boundary_event(activity)
    )


def _called(ctx: Context) -> set[str]:
    """The ids of the processes some activity of the package calls synchronously as a
    subflow: only a caller that waits for its subflow can catch the subflow's cancel."""
    return {
        activity.body.process_id
        for scope in ctx.scopes
        for activity in scope.activities
        if isinstance(activity.body, SubFlowImplementation)
        and activity.body.execution is Execution.SYNCHR
    }


def _has_cancel_catch(scope: Scope, activity_id: str) -> bool:
    """Whether a Cancel event is attached to ``activity_id`` of ``scope``."""
    for node in scope.graph:
        other = activity_of(scope.graph, node)
        event = other.event
        if (
            event is not None
            and is_boundary_event(other)
            and event.target == activity_id
            and event.trigger == "Cancel"
        ):
            return True
    return False


def _caught(ctx: Context, scope: Scope, called: set[str], seen: frozenset[str]) -> bool:
    """Whether a Cancel thrown in ``scope`` may be caught: by a Cancel event on a block that
    runs it (or, up from there, on what runs that block's scope), or by a caller of its
    process; each activity set is followed once (a set running itself is refused elsewhere)."""
    process = scope.process
    if scope.activity_set is None:
        return process.id in called
    set_id = scope.activity_set.id
    if set_id in seen:
        return True  # a cycle of blocks: not this check's to judge
    runners = [
        (outer, activity.id)
        for outer in _scopes_of(ctx, process)
        for activity in outer.activities
        if isinstance(activity.body, BlockActivity) and activity.body.activity_set_id == set_id
    ]
    if not runners:
        return True  # a set no block runs never runs: unused-activity-set says so
    return any(
        _has_cancel_catch(outer, block) or _caught(ctx, outer, called, seen | {set_id})
        for outer, block in runners
    )


def _scopes_of(ctx: Context, process: WorkflowProcess) -> list[Scope]:
    return [scope for scope in ctx.scopes if scope.process is process]


def check_cancel_catches(ctx: Context) -> Iterator[Diagnostic]:
    """``cancel-uncaught``: a Cancel throw that no Cancel event of an enclosing block and no
    caller of its process in the package can catch."""
    called: set[str] | None = None
    for scope in ctx.scopes:
        for node in scope.graph:
            activity = activity_of(scope.graph, node)
            if not _throws_cancel(activity):
                continue
            if called is None:
                called = _called(ctx)
            if _caught(ctx, scope, called, frozenset()):
                continue
            yield make(
                "cancel-uncaught",
                f"event {node!r} in {scope.where} throws a cancel, which only a Cancel event "
                "attached to an enclosing block activity, or to the activity that calls its "
                "process as a synchronous subflow, catches; there is none (no activity of this "
                f"package calls process {scope.process.id!r} synchronously), so an instance "
                "reaching it stops with an incident: run the cancelled part as a block (a "
                "transaction) with a Cancel event attached, or end with a Terminate or None end "
                "event",
                element_id=node,
                line=activity.line,
            )
