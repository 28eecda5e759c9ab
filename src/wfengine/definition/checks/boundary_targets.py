"""``boundary-target`` (an error): what an attached (boundary) event is attached to.

An intermediate event with a ``Target`` waits beside the activity it names and fires while that
activity runs. Deploy attaches every intermediate event whose ``Target`` is written at all
(:mod:`wfengine.runtime.compile_links`), so validation judges the same events, one rule:

* a transition leading into an attached event: the engine would run it at once as a plain
  step there, and again as the attached event;
* an empty ``Target`` (``Target=""``): a tool that writes the attribute meant to attach the
  event, and deploy refuses it (it names no activity); reported at the event, not as an
  intermediate event in the flow;
* a ``Target`` naming no activity of the event's own process or activity set;
* a ``Target`` naming an activity that never waits, so the event could never fire: a route
  (gateway), a start or end event (each completes the moment it runs) or another attached event
  (itself included). BPMN attaches boundary events only to activities. An intermediate event
  in the flow is a fair target (a timer on a message wait fires while the wait lasts), as are
  tasks, subflows, blocks and Reference activities (they run what they name).
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context, Scope
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.graph import activity_of, is_boundary_event
from wfengine.definition.model import Activity, Event, EventPosition, Route


def boundary_target_findings(ctx: Context) -> Iterator[Diagnostic]:
    """``boundary-target`` for each attached event whose target or incoming flow deploy
    refuses or the engine can never fire it from."""
    for scope in ctx.scopes:
        for node in scope.graph:
            activity = activity_of(scope.graph, node)
            event = activity.event
            if (
                event is None
                or event.position is not EventPosition.INTERMEDIATE
                or event.target is None
            ):
                continue
            yield from _incoming(scope, node, activity, event)
            problem = _target_problem(scope, node, event.target)
            if problem is not None:
                yield make(
                    "boundary-target",
                    f"event {node!r} in {scope.where} is attached to {event.target!r}, {problem}",
                    element_id=node,
                    line=activity.line,
                )


def _incoming(scope: Scope, node: str, activity: Activity, event: Event) -> Iterator[Diagnostic]:
    """A transition into an attached event: it would run once from the flow and again as
    the attached event."""
    if not is_boundary_event(activity):
        return  # Target="": reported once, as the empty target it is
    incoming = sorted(key for _, _, key in scope.graph.in_edges(node, keys=True))
    if incoming:
        yield make(
            "boundary-target",
            f"event {node!r} in {scope.where} is attached to {event.target!r} and "
            f"transition(s) {', '.join(map(repr, incoming))} lead into it; an attached "
            "event has no incoming flow (it fires from the activity it is attached to): "
            "remove the transition or make it an intermediate event in the flow",
            element_id=node,
            line=activity.line,
        )


def _target_problem(scope: Scope, node: str, target: str) -> str | None:
    """Why ``target`` is no activity an event can be attached to, or None when it is one."""
    if not target:
        return (
            "an empty Target, which names no activity (deploy refuses it): name the activity "
            "the event waits on, or drop the Target attribute to make it an intermediate "
            "event in the flow"
        )
    if target not in scope.graph:
        return "which is not an activity of the same process or activity set"
    owner = activity_of(scope.graph, target)
    body = owner.body
    if target == node:
        what = "the event itself"
    elif isinstance(body, Route):
        what = "a route (gateway)"
    elif isinstance(body, Event) and is_boundary_event(owner):
        what = "another attached event"
    elif isinstance(body, Event) and body.position is EventPosition.START:
        what = "a start event"
    elif isinstance(body, Event) and body.position is EventPosition.END:
        what = "an end event"
    else:
        return None
    return (
        f"which is {what}: nothing runs there that the event could wait beside (a route or a "
        "start or end event completes the moment it runs), so it never fires; attach it to a "
        "task, subflow or block activity (BPMN attaches boundary events only to activities)"
    )
