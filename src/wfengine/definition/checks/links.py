"""Link events: each name caught once in a scope, every thrown name caught, and no way out
of a link that says it throws.

Checked here rather than in :mod:`.flow` (which re-exports :func:`check_links`) to keep that
module small.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context, Scope
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.graph import activity_of, catching_links, link_event, link_throws


def check_links(ctx: Context) -> Iterator[Diagnostic]:
    """``link-duplicate``: a second catching link event of a name in one scope (a thrown link
    would not know where to go on; the engine refuses it). ``link-unmatched``: a throwing link
    whose name no catching link of its scope carries (a typo, 'Contiue'): the engine ends its
    thread there, and the instance may complete, silently skipping the work the link was
    drawn to lead to (BPMN: a throwing link has exactly one target). A warning, not an error:
    Apromore writes such a throw as an exit to another page or pool, the mirror of the
    catching link no link throws to that starts its scope (two corpus processes run so).
    ``link-throw-flow``: see :func:`_ways_out_of_a_throw`."""
    for scope in ctx.scopes:
        seen: dict[str, str] = {}
        catching = catching_links(scope.graph)
        caught = {name for name, _ in catching}
        for node in scope.graph:
            activity = activity_of(scope.graph, node)
            link = link_event(activity)
            if link is None or (activity.event is not None and activity.event.target is not None):
                continue
            if link[1] is True and scope.graph.out_degree(node) > 0:
                yield from _ways_out_of_a_throw(scope, node, link[0], caught)
            elif link[0] not in caught and link_throws(link[1], scope.graph.out_degree(node) > 0):
                known = ", ".join(repr(name) for name in sorted(caught)) or "none"
                yield make(
                    "link-unmatched",
                    f"link event {node!r} in {scope.where} throws to {link[0]!r}, which no "
                    f"catching link event there carries (caught: {known}); its thread ends "
                    "there",
                    element_id=node,
                    line=activity.line,
                )
        for name, node in catching:
            first = seen.setdefault(name, node)
            if first != node:
                yield make(
                    "link-duplicate",
                    f"link event {node!r} in {scope.where} catches {name!r}, which link event "
                    f"{first!r} catches already; a thrown link goes to one place",
                    element_id=node,
                    line=activity_of(scope.graph, node).line,
                )


def _ways_out_of_a_throw(
    scope: Scope, node: str, name: str, caught: set[str]
) -> Iterator[Diagnostic]:
    """``link-throw-flow``, one per transition leaving a link event that says it throws
    (``CatchThrow="THROW"``). BPMN gives a throwing link no outgoing flow; the engine adds the
    link after the transitions and, with no split, takes the transition only: the throw is
    silently lost. An error naming the event and the transition, at the transition's line."""
    goes = f"the catching link {name!r}" if name in caught else f"a catching link {name!r}"
    for transition in (t for t in scope.transitions if t.from_ == node):
        yield make(
            "link-throw-flow",
            f"transition {transition.id!r} in {scope.where} leaves link event {node!r}, which "
            f'throws link {name!r} (CatchThrow="THROW"): a throwing link has no way out, and '
            f"the engine would take the transition and never throw, so the flow would not go "
            f"on at {goes}; remove the transition, or make {node!r} a catching link "
            f'(CatchThrow="CATCH") if the flow is meant to go on from it',
            element_id=transition.id,
            line=transition.line,
        )
