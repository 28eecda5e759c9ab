"""``event-flow`` (an error): a transition into a start event or out of an end event; and
``event-subprocess-flow`` (an error): one into or out of the block that runs an event
sub-process.

XPDL 2.x and BPMN forbid both: a start event has no incoming flow and an end event no outgoing
one. The engine does not treat them as the modeller may hope: a start event a transition leads
back to runs again as a plain step (its scope does not start over), and an end event with a way
out passes its token on, so it ends nothing. Each transition is reported, at its own line, so a
tool can point at the arrow to remove. No tool's file in the conformance corpus draws either.

An event sub-process (an activity set with ``TriggeredByEvent="true"``) is started by its start
event's trigger, never by the flow: BPMN gives it no incoming or outgoing sequence flow, and
``docs/semantics.md`` makes a block an event sub-process only where no transition reaches it.
The engine arms every block of such a set all the same, and a transition into the block also
runs it as a plain step, its start event's trigger ignored (a cancel handler ran with no
message sent); a transition out of it makes the way on wait for a handler that may never run.
Neither is what the drawing means, so each such transition is refused, naming the block.
No file of the conformance corpus has an event sub-process.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.graph import activity_of
from wfengine.definition.model import BlockActivity, EventPosition


def check_event_flows(ctx: Context) -> Iterator[Diagnostic]:
    """One error per transition that leaves an end event or leads into a start event."""
    for scope in ctx.scopes:
        graph = scope.graph
        for transition in scope.transitions:
            for node, position, way in (
                (transition.from_, EventPosition.END, "leaves end event"),
                (transition.to, EventPosition.START, "leads into start event"),
            ):
                if node not in graph:
                    continue  # dangling-transition says it
                event = activity_of(graph, node).event
                if event is None or event.position is not position:
                    continue
                what = (
                    "an end event has no way out: its token would go on, so it ends nothing"
                    if position is EventPosition.END
                    else "a start event has no way in: a token reaching it would run it again "
                    "as a plain step, not start anything over"
                )
                yield make(
                    "event-flow",
                    f"transition {transition.id!r} in {scope.where} {way} {node!r}; {what} "
                    "(XPDL and BPMN forbid it): remove the transition, or use an intermediate "
                    "event or another activity there",
                    element_id=transition.id,
                    line=transition.line,
                )


def check_event_subprocess_flows(ctx: Context) -> Iterator[Diagnostic]:
    """One error per transition that leads into or out of a block running an event
    sub-process, naming the transition, the block and its activity set."""
    for scope in ctx.scopes:
        triggered = ctx.process_index(scope.process).triggered
        if not triggered:
            continue
        graph = scope.graph
        for transition in scope.transitions:
            for node, way in ((transition.to, "leads into"), (transition.from_, "leaves")):
                if node not in graph:
                    continue  # dangling-transition says it
                body = activity_of(graph, node).body
                if not isinstance(body, BlockActivity) or body.activity_set_id not in triggered:
                    continue
                yield make(
                    "event-subprocess-flow",
                    f"transition {transition.id!r} in {scope.where} {way} block {node!r}, "
                    f"which runs the event sub-process {body.activity_set_id!r} "
                    "(TriggeredByEvent): its start event's trigger starts it, never a "
                    "transition, so the engine would run it as a plain step too, the trigger "
                    "ignored; remove the transition and let the flow pass beside the block, "
                    "or drop TriggeredByEvent from the activity set to run it as a step",
                    element_id=transition.id,
                    line=transition.line,
                )
