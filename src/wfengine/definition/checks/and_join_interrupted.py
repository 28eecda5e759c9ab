"""``and-join-interrupted``: a Parallel join that waits both for an activity's own way out and
for the way of an interrupting event attached to that activity.

An interrupting boundary event (a timer, message, signal, error, escalation or cancel that is
not ``Interrupting="false"``; errors and cancels always interrupt) cancels its activity, so the
activity's own ways out are never taken once it fires, and it never fires once the activity has
finished. A Parallel join needs a token on each of its ways in, so one that both of those ways
reach waits forever whichever happens: the modeller meant a merge (an Exclusive join, or an
Exclusive Route before the Parallel join). The engine finds it only at run time, as a
``deadlock`` incident on the join.

Each way into the join is followed back, through activities with one way in and one way out
that make no second token, to where it comes from: the interrupting event itself, or an
activity that has one (leaving it by a transition that is not an exception's). Anything else
on the way (a split, a join, a loop back, a non-interrupting event, a multi-instance activity
whose instances leave one by one) stops the walk and the way counts for nothing; and so does
an activity that may run twice (something before it merges ways or loops back to it), which
could finish once and be interrupted once. So the check reports only joins that can never fire.
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from wfengine.definition.checks.context import Context, Scope
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.graph import activity_of, attached_beside, is_boundary_event
from wfengine.definition.model import (
    ConditionType,
    GatewayType,
    MIFlowCondition,
    MultiInstanceLoop,
    Transition,
)

#: transitions an activity takes instead of its normal way out, not after finishing normally
_EXCEPTIONS = (ConditionType.EXCEPTION, ConditionType.DEFAULTEXCEPTION)


def _interrupting_events(scope: Scope, node: str) -> list[str]:
    """The interrupting events attached to ``node``, in definition order."""
    found = []
    for other in scope.analysis_graph.successors(node):
        event = activity_of(scope.graph, other).event
        if (
            event is not None
            and is_boundary_event(activity_of(scope.graph, other))
            and event.target == node
            and event.interrupts
        ):
            found.append(other)
    return found


def _leaves_once(scope: Scope, node: str) -> bool:
    """Whether ``node`` hands on at most one token each time it runs: no non-interrupting
    event beside it and no multi-instance loop whose instances leave one by one."""
    loop = activity_of(scope.graph, node).loop
    if isinstance(loop, MultiInstanceLoop) and loop.flow_condition is not MIFlowCondition.ALL:
        return False
    return not any(attached_beside(scope.graph, node, s) for s in scope.analysis_graph[node])


def _runs_once(scope: Scope, node: str) -> bool:
    """Whether ``node`` can run only once per run of its scope: nothing before it merges ways
    (a join, a loop back, two starts) or hands on more than one token along one way (a
    non-interrupting event, a multi-instance activity whose instances leave one by one). Run
    twice, it could finish once and be interrupted once, and the join would get both."""
    if not _leaves_once(scope, node):
        return False
    graph = scope.analysis_graph
    seen = {node}
    todo = [node]
    while todo:
        current = todo.pop()
        if graph.in_degree(current) >= 2:
            return False
        for before in graph.predecessors(current):
            attached = activity_of(scope.graph, before)
            event = attached.event
            beside = event is not None and is_boundary_event(attached) and not event.interrupts
            if before == node or beside or not _leaves_once(scope, before):
                return False
            if before not in seen:
                seen.add(before)
                todo.append(before)
    return True


def _origin(scope: Scope, way: Transition) -> tuple[str, str] | None:
    """Where ``way`` comes from, as ``(activity, how)``: ``how`` is the interrupting event
    attached to ``activity`` whose way it is, or ``""`` for the activity's own way out; None
    when the walk back meets anything that could bring a token by another route."""
    graph = scope.graph
    edge = way
    seen: set[str] = set()
    while edge.from_ not in seen:
        node = edge.from_
        seen.add(node)
        activity = activity_of(graph, node)
        event = activity.event
        if is_boundary_event(activity) and event is not None:
            target = event.target or ""
            if event.interrupts and target in graph and _runs_once(scope, target):
                return target, node
            return None
        kind = edge.condition.type if edge.condition is not None else None
        if _interrupting_events(scope, node) and kind not in _EXCEPTIONS:
            return (node, "") if _runs_once(scope, node) else None
        ways_in = list(graph.in_edges(node, data=True))
        if graph.out_degree(node) != 1 or len(ways_in) != 1 or not _leaves_once(scope, node):
            return None
        edge = ways_in[0][2]["transition"]
    return None


def _way_text(activity: str, how: str, way: Transition) -> str:
    """One way into the join, as the finding names it."""
    if how:
        return f"{way.id!r} from the interrupting event {how!r} on {activity!r}"
    return f"{way.id!r} after {activity!r} finishes"


#: triggers whose attached events always interrupt: ``Interrupting="false"`` is not for them
_ALWAYS_INTERRUPT = ("Error", "Cancel")


def _advice(scope: Scope, ways: dict[str, Transition]) -> str:
    """How to mend the join: merge the ways, or, when every event named can take it, make
    the event non-interrupting (an Error or Cancel event always interrupts, so advising
    ``Interrupting="false"`` for one would send the modeller to a fix that does not exist)."""
    merge = "merge those ways with an Exclusive join before it"
    triggers = [activity_of(scope.graph, how).event for how in ways if how]
    if any(event is not None and event.trigger in _ALWAYS_INTERRUPT for event in triggers):
        return f"{merge} (an Error or Cancel event always interrupts)"
    return f'{merge}, or make the event Interrupting="false"'


def _finding(scope: Scope, join: str, activity: str, ways: dict[str, Transition]) -> Diagnostic:
    listed = " and ".join(_way_text(activity, how, way) for how, way in ways.items())
    return make(
        "and-join-interrupted",
        f"activity {join!r} in {scope.where} is a Parallel join that waits for {listed}; only "
        f"one of them ever arrives (an interrupting event cancels {activity!r}, and none fires "
        f"once {activity!r} has finished), so the join waits forever: {_advice(scope, ways)}",
        element_id=join,
        line=activity_of(scope.graph, join).line,
    )


def check_and_join_interrupted(ctx: Context) -> Iterator[Diagnostic]:
    """``and-join-interrupted``: a Parallel join reached by two ways of which only one can be
    taken: an activity's own way out and the way of an interrupting event attached to it, or
    the ways of two such events; one finding per join."""
    for scope in ctx.scopes:
        graph: nx.MultiDiGraph[str] = scope.graph
        for join in graph:
            if (
                activity_of(graph, join).join_gateway is not GatewayType.PARALLEL
                or graph.in_degree(join) < 2
            ):
                continue
            ways: dict[str, dict[str, Transition]] = {}
            for _, _, data in graph.in_edges(join, data=True):
                way: Transition = data["transition"]
                origin = _origin(scope, way)
                if origin is not None:
                    ways.setdefault(origin[0], {}).setdefault(origin[1], way)
            for activity, hows in ways.items():
                if len(hows) >= 2:
                    yield _finding(scope, join, activity, hows)
                    break
