"""``event-flow`` (an error): a transition into a start event or out of an end event.

XPDL 2.x and BPMN forbid both: a start event has no incoming flow and an end event no outgoing
one. The engine does not treat them as the modeller may hope: a start event a transition leads
back to runs again as a plain step (its scope does not start over), and an end event with a way
out passes its token on, so it ends nothing. Each transition is reported, at its own line, so a
tool can point at the arrow to remove. No tool's file in the conformance corpus draws either.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.graph import activity_of
from wfengine.definition.model import EventPosition


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
