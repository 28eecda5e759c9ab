"""Link events: each name caught once in a scope, and every thrown name caught.

Checked here rather than in :mod:`.flow` (which re-exports :func:`check_links`) to keep that
module small.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.graph import activity_of, catching_links, link_event, link_throws


def check_links(ctx: Context) -> Iterator[Diagnostic]:
    """``link-duplicate``: a second catching link event of a name in one scope (a thrown link
    would not know where to go on; the engine refuses it). ``link-unmatched``: a throwing link
    whose name no catching link of its scope carries (a typo, 'Contiue'): the engine ends its
    thread there, and the instance may complete, silently skipping the work the link was
    drawn to lead to (BPMN: a throwing link has exactly one target). A warning, not an error:
    Apromore writes such a throw as an exit to another page or pool, the mirror of the
    catching link no link throws to that starts its scope (two corpus processes run so)."""
    for scope in ctx.scopes:
        seen: dict[str, str] = {}
        catching = catching_links(scope.graph)
        caught = {name for name, _ in catching}
        for node in scope.graph:
            activity = activity_of(scope.graph, node)
            link = link_event(activity)
            if (
                link is not None
                and link[0] not in caught
                and (activity.event is None or activity.event.target is None)
                and link_throws(link[1], scope.graph.out_degree(node) > 0)
            ):
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
