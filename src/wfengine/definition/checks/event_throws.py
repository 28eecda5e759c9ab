"""``event-throw`` (an error): a start event or an attached (boundary) event that says it throws.

A Message or Signal trigger element may say ``CatchThrow="THROW"``; that is what makes an
intermediate event in the flow send its message or signal. (A Link is no start trigger, and an
attached Link is ``boundary-trigger``'s: the engine arms none.) A start event and an attached
event only ever catch: the start, what starts its process (or event sub-process); the attached
event, what interrupts its activity. The engine arms neither when it throws, so such an event
never fires: ``start_by_message`` finds no start event for the message, a message sent to the
instance finds no catch. Nothing else reports it, and it is almost always a slip (a throw ticked
on the wrong event), hence an error, as the builder refuses ``throw=True`` there. No tool's file
in the conformance corpus writes one (its throws are on intermediate and end events).
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.event_texts import trigger_detail
from wfengine.definition.graph import activity_of
from wfengine.definition.model import Event, EventPosition

#: the start and boundary triggers whose trigger element may say ``CatchThrow``, and its name
_THROWING_ELEMENT = {"Message": "TriggerResultMessage", "Signal": "TriggerResultSignal"}


def says_it_throws(event: Event) -> bool:
    """Whether the event's trigger element says ``CatchThrow="THROW"`` (any case)."""
    element = _THROWING_ELEMENT.get(event.trigger)
    detail = None if element is None else trigger_detail(event, element)
    return detail is not None and dict(detail.attrs).get("CatchThrow", "").upper() == "THROW"


def misplaced_throw(event: Event) -> str | None:
    """Why ``event`` cannot throw where it stands (a start event, an attached event), as a
    clause after its name; None when it catches or may throw there."""
    if not says_it_throws(event):
        return None
    if event.position is EventPosition.START:
        return (
            f"is a {event.trigger} start event that throws; a start event only catches what "
            "starts its process, so it never fires (nothing starts an instance by it)"
        )
    if event.position is EventPosition.INTERMEDIATE and event.target:
        return (
            f"is attached to {event.target!r} and throws its {event.trigger}; an attached event "
            "only catches what interrupts its activity, so it never fires"
        )
    return None


def misplaced_throw_findings(ctx: Context) -> Iterator[Diagnostic]:
    """``event-throw`` for each start or attached event whose trigger element throws."""
    for scope in ctx.scopes:
        for node in scope.graph:
            activity = activity_of(scope.graph, node)
            problem = None if activity.event is None else misplaced_throw(activity.event)
            if problem is not None:
                yield make(
                    "event-throw",
                    f"event {node!r} in {scope.where} {problem}: make it catch (drop "
                    'CatchThrow="THROW"), or throw from an intermediate event in the flow or an '
                    "end event",
                    element_id=node,
                    line=activity.line,
                )
