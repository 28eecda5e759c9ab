"""Checks on event-based gateways (deferred choice, WCP16).

Every way of an event-based gateway leads to a catch event that waits (a timer, message,
signal or conditional intermediate event, or a receive task); the first to fire wins and
withdraws the others. A way to anything else (an ordinary activity, a script, a route, a throw)
does not wait: it wins at once, every time, and the other ways can never be taken. Nothing
refuses to run such a definition, so this is a warning, and the place to say it is validation.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.event_texts import trigger_detail
from wfengine.definition.graph import is_event_gateway
from wfengine.definition.model import Activity, Event, EventPosition, TaskImplementation, TaskKind

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


def check_event_gateway_targets(ctx: Context) -> Iterator[Diagnostic]:
    """``event-gateway-target``: a way out of an event-based gateway leads to something that
    is no catch event (see :func:`catches`), which wins the choice as soon as the gateway is
    reached."""
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
                yield make(
                    "event-gateway-target",
                    f"event-based gateway {gateway.id!r} in {scope.where}: its way "
                    f"{transition.id!r} leads to {target.id!r}, which is no catch event (a "
                    "timer, message, signal or conditional intermediate event, or a receive "
                    "task): it does not wait, so it wins the choice as soon as the gateway is "
                    "reached and the other ways are never taken",
                    element_id=transition.id,
                    line=transition.line if transition.line is not None else gateway.line,
                )
