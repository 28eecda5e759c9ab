"""Checks on event-based gateways (deferred choice, WCP16).

Every way of an event-based gateway leads to a catch event that waits (a timer, message,
signal or conditional intermediate event, or a receive task); the first to fire wins and
withdraws the others. The engine begins whatever a way leads to, and anything that finishes
withdraws its rivals as a catch event does, so a way to anything else is one of two kinds:

* what does not wait (a route, a script, an automatic activity, a throw, an asynchronous
  subflow) finishes as it begins: it wins at once, and the catch events are never taken (only
  a catch listed before it that finds its message kept already, before the gateway was
  reached, wins first);
* what waits (a person's work, a synchronous subflow, a block, an application call, which may
  be asynchronous) races the catch events: it is withdrawn if one of them fires first, else
  it withdraws them once it is done. That is a choice between an event and, say, a person,
  which may be meant; but it is no deferred choice between events, and the warning says which
  race it is.

Nothing refuses to run such a definition, so this is a warning, and the place to say it is
validation.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.event_texts import trigger_detail
from wfengine.definition.graph import is_event_gateway
from wfengine.definition.lanes import LanePerformers
from wfengine.definition.model import (
    Activity,
    BlockActivity,
    Event,
    EventPosition,
    Execution,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
)
from wfengine.definition.modes import needs_person

#: the intermediate triggers that wait, and the trigger element whose ``CatchThrow`` may make
#: one a throw instead (a timer or condition is always caught)
_CATCHING = {
    "Timer": None,
    "Message": "TriggerResultMessage",
    "Signal": "TriggerResultSignal",
    "Conditional": None,
}


def catches(activity: Activity) -> bool:
    """Whether ``activity`` is a catch event that waits in the flow (what an event-based
    gateway's ways lead to): an intermediate event (not attached to an activity) with a
    Timer, Message, Signal or Conditional trigger that does not throw, or a receive task
    (one that calls no application)."""
    body = activity.body
    if isinstance(body, TaskImplementation):
        return body.task is TaskKind.RECEIVE and not body.tools
    if not isinstance(body, Event):
        return False
    if body.position is not EventPosition.INTERMEDIATE or body.target:
        return False
    if body.trigger not in _CATCHING:
        return False
    element = _CATCHING[body.trigger]
    detail = None if element is None else trigger_detail(body, element)
    return detail is None or dict(detail.attrs).get("CatchThrow", "CATCH").upper() != "THROW"


def race(activity: Activity) -> tuple[str, str] | None:
    """How ``activity``, no catch event, races the catch events of its gateway: what it is and
    when it is done (and so withdraws them); None when it does not wait and wins at once.
    ``activity`` is judged with the performers its lane gives it, as it runs."""
    body = activity.body
    if isinstance(body, SubFlowImplementation):
        if body.execution is Execution.ASYNCHR:
            return None  # (the caller goes on as the called process starts)
        return "a subflow", "the called process ends (at once when nothing in it waits)"
    if isinstance(body, BlockActivity):
        return "a block", "its activity set is done (at once when nothing in it waits)"
    if needs_person(activity):
        return "a person's work", "the person completes it"
    if isinstance(body, TaskImplementation) and body.tools:
        return "an application call", "the call answers (at once for a synchronous one)"
    return None


def _finding_text(target: Activity, lanes: LanePerformers) -> str:
    """What the way to ``target`` does, after "which is no catch event (...)"."""
    raced = race(lanes.applied(target))
    if raced is None:
        return (
            ": it does not wait, so it wins the choice as soon as the gateway is reached and "
            "the other ways are never taken (only a catch listed before it that finds its "
            "message already kept wins first)"
        )
    what, done = raced
    return (
        f" but {what}, which races the catch events: it is withdrawn if one of them fires "
        f"first, else it withdraws them once {done}"
    )


def check_event_gateway_targets(ctx: Context) -> Iterator[Diagnostic]:
    """``event-gateway-target``: a way out of an event-based gateway leads to something that
    is no catch event (see :func:`catches`): it wins the choice as soon as the gateway is
    reached, or races the catch events when it waits (see :func:`race`)."""
    lanes: LanePerformers | None = None
    for scope in ctx.scopes:
        by_id = {a.id: a for a in scope.activities}
        for gateway in scope.activities:
            if not is_event_gateway(gateway):
                continue
            for transition in scope.transitions:
                if transition.from_ != gateway.id:
                    continue
                target = by_id.get(transition.to)
                if target is None or catches(target):
                    continue  # (a To naming nothing is dangling-transition's)
                lanes = lanes or ctx.once(LanePerformers, lambda: LanePerformers(ctx.package))
                yield make(
                    "event-gateway-target",
                    f"event-based gateway {gateway.id!r} in {scope.where}: its way "
                    f"{transition.id!r} leads to {target.id!r}, which is no catch event (a "
                    "timer, message, signal or conditional intermediate event, or a receive "
                    f"task){_finding_text(target, lanes)}",
                    element_id=transition.id,
                    line=transition.line if transition.line is not None else gateway.line,
                )
