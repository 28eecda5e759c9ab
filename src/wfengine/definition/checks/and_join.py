"""Parallel joins that can never fire, ``and-join-after-xor`` and ``and-join-loop-entry``, or
that wait for a way a choice may not take, ``and-join-after-choice``.

``and-join-after-xor``: a Parallel join that only one branch of an exclusive choice reaches.

The question is answered with dominators: the join's immediate dominator is the last place every
token reaching the join has passed. When that is an Exclusive split and nothing between it and
the join makes a second token (a Parallel, Inclusive or Complex split, an activity with several
ways out and no split, a non-interrupting event on an activity), a single token reaches the
join, and a Parallel join needing one per way in waits forever. Branches may hold nested
exclusive choices, exclusive joins and loops: they still carry that one token.

The check stays silent when the split itself may be reached by several tokens at once (something
upstream makes tokens), because then two of its choices may meet at the join: it reports only a
join that can never fire.

``and-join-loop-entry``: a Parallel join at the entry of a loop, one of whose ways in comes back
from the loop's body. Every path from a start to that way's source passes the join (the join
dominates it), so its token exists only after the join has fired once, and the join waits for it
forever the first time. A Parallel join inside a loop, fed by a Parallel split of the same loop
body, is not such a join: its ways in are reached from the start without passing it.

``and-join-after-choice``: a Parallel join whose immediate dominator is a split that takes every
way whose condition holds (an Inclusive split, or a Parallel one with conditions, which the
engine runs as Inclusive: ``condition-unused``), where some way into the join is reached only
through a way of the split that may not be taken (it has a condition that is not a constant
true, as ``shadowed-transition`` judges it, or is the OTHERWISE).
When that way is not taken the join waits forever for it: the engine reports the deadlock as an
incident when it happens (an Inclusive join would have gone on). Ways that always hold are
followed to what they reach (not through the join); a way in from anything they reach is sure.
Conditions that together always send a token to the same place (``x > 0`` and ``x <= 0`` meeting
at an Exclusive join before the Parallel one) are not read: the warning then names a way that
does arrive, so it says "may".
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from wfengine.definition.checks.context import Context, Scope
from wfengine.definition.checks.shadowed_ways import always_words
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.graph import activity_of, attached_beside, reaching, start_ids
from wfengine.definition.model import GatewayType, Transition
from wfengine.definition.model_processes import choosing_ways, tried_in_order
from wfengine.definition.reading import name_aliases

#: the virtual node every start hangs from, so a graph with several starts has one root
_ROOT = "\x00root"


def _ways_out(graph: nx.MultiDiGraph[str], node: str) -> list[Transition]:
    """The choosing transitions (not exception handlers) leaving ``node``."""
    return choosing_ways(
        data["transition"]
        for _, _, data in graph.out_edges(node, data=True)
        if "transition" in data
    )


def _makes_tokens(scope: Scope, node: str) -> bool:
    """Whether ``node`` can put more than one token into the flow after one arrives: several
    ways out that it does not choose among exclusively, or a non-interrupting event attached
    to it (the activity goes on while the event's way runs)."""
    graph = scope.graph
    activity = activity_of(graph, node)
    if len(_ways_out(graph, node)) > 1 and activity.split_gateway is not GatewayType.EXCLUSIVE:
        return True
    return any(attached_beside(graph, node, s) for s in scope.analysis_graph.successors(node))


def _rooted(scope: Scope) -> nx.MultiDiGraph[str]:
    """The scope's analysis graph (boundary events and links tied in) under one root."""
    graph = scope.analysis_graph.copy()
    graph.add_node(_ROOT)
    for start in start_ids(scope.graph):
        graph.add_edge(_ROOT, start)
    return graph


def _single_token_choice(scope: Scope, graph: nx.MultiDiGraph[str], split: str, join: str) -> bool:
    """Whether ``split`` is an exclusive choice that one token at a time enters and from which
    nothing on the way to ``join`` makes a second token."""
    if split == _ROOT:
        return False
    activity = activity_of(scope.graph, split)
    if (
        activity.split_gateway is not GatewayType.EXCLUSIVE
        or len(_ways_out(scope.graph, split)) < 2
    ):
        return False
    after: set[str] = nx.descendants(graph, split)
    between = (after & reaching(graph, {join})) - {split, join}
    if any(_makes_tokens(scope, n) for n in between):
        return False
    upstream = reaching(graph, {split}) - {split, _ROOT}
    if sum(1 for n in graph.successors(_ROOT) if n == split or n in upstream) > 1:
        return False  # several starts may each send a token to the split
    return not any(_makes_tokens(scope, n) for n in upstream)


def _tree_spans(dominators: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Each node's (entry, exit) times in a depth-first walk of the dominator tree from the
    root: ``a`` dominates ``b`` exactly when ``a``'s span holds ``b``'s entry. Numbering the
    tree once answers each such question at once, where walking the chain of dominators from
    every source up to the root took time quadratic in the size of the scope."""
    children: dict[str, list[str]] = {}
    for node, parent in dominators.items():
        if node != parent:
            children.setdefault(parent, []).append(node)
    spans: dict[str, tuple[int, int]] = {}
    clock = 0
    entered: dict[str, int] = {_ROOT: 0}
    stack: list[tuple[str, Iterator[str]]] = [(_ROOT, iter(children.get(_ROOT, ())))]
    while stack:
        node, below = stack[-1]
        child = next(below, None)
        if child is None:
            stack.pop()
            clock += 1
            spans[node] = (entered[node], clock)
            continue
        clock += 1
        entered[child] = clock
        stack.append((child, iter(children.get(child, ()))))
    return spans


def _ways_back(scope: Scope, spans: dict[str, tuple[int, int]], join: str) -> list[Transition]:
    """The transitions into ``join`` whose source only a token that passed ``join`` reaches:
    the source is reachable from the root, and ``join`` dominates it."""
    found: list[Transition] = []
    first, last = spans[join]
    for source, _, data in scope.graph.in_edges(join, data=True):
        span = spans.get(source)
        if span is not None and first <= span[0] < last:
            found.append(data["transition"])
    return found


def _loop_entry(scope: Scope, node: str, ways_back: list[Transition]) -> Diagnostic:
    activity = activity_of(scope.graph, node)
    listed = ", ".join(f"{t.id!r} from {t.from_!r}" for t in ways_back)
    noun = "transition" if len(ways_back) == 1 else "transitions"
    return make(
        "and-join-loop-entry",
        f"activity {node!r} in {scope.where} is a Parallel join at a loop entry: it waits for "
        f"a token on {noun} {listed} too, which only a token that has passed {node!r} itself "
        "can reach, so the first token waits forever; let the way into the loop and the way "
        "back meet at an Exclusive join (an Exclusive Route before any Parallel split)",
        element_id=node,
        line=activity.line,
    )


def check_and_join_after_xor(ctx: Context) -> Iterator[Diagnostic]:
    """``and-join-after-xor``: a Parallel join whose ways in all lie behind one Exclusive split
    with nothing between that makes a second token; only one way ever delivers, so the join
    waits forever. ``and-join-loop-entry``: a Parallel join one of whose ways in comes back
    from a loop it enters; that way delivers only after the join fired, so it never fires."""
    for scope in ctx.scopes:
        joins = [
            n
            for n in scope.graph
            if activity_of(scope.graph, n).join_gateway is GatewayType.PARALLEL
            and scope.graph.in_degree(n) >= 2
        ]
        if not joins or not start_ids(scope.graph):
            continue
        graph = _rooted(scope)
        dominators = nx.immediate_dominators(graph, _ROOT)
        spans = _tree_spans(dominators)
        for node in joins:
            origin = dominators.get(node)
            if origin is not None and (ways_back := _ways_back(scope, spans, node)):
                yield _loop_entry(scope, node, ways_back)
            if origin is not None and (unsure := _unsure_ways(ctx, scope, graph, origin, node)):
                yield _after_choice(scope, node, origin, unsure)
                continue
            if origin is None or not _single_token_choice(scope, graph, origin, node):
                continue
            activity = activity_of(scope.graph, node)
            yield make(
                "and-join-after-xor",
                f"activity {node!r} in {scope.where} joins in parallel ways that all come from "
                f"the exclusive split at {origin!r}, with nothing between that runs branches in "
                "parallel; only one of them ever arrives, so it waits forever",
                element_id=node,
                line=activity.line,
            )


def _unsure_ways(
    ctx: Context, scope: Scope, graph: nx.MultiDiGraph[str], split: str, join: str
) -> list[Transition]:
    """The ways out of ``split`` that may not be taken and lead to ``join`` (not through it),
    when ``split`` takes every way that holds and some way into ``join`` is reached only through
    them; else none (``split`` chooses one way, or ``join`` gets a token on each way in
    whatever the conditions)."""
    if split == _ROOT:
        return []
    activity = activity_of(scope.graph, split)
    ways = _ways_out(scope.graph, split)
    if len(ways) < 2 or tried_in_order(activity, ways) is not None:
        return []
    aliases = name_aliases(ctx.package, scope.process)
    sure = [t for t in ways if always_words(ctx, t, len(ways), aliases) is not None]
    unsure = [t for t in ways if t not in sure]
    if not unsure:
        return []
    apart = graph.subgraph(n for n in graph if n != join)
    reached: set[str] = {split}
    for t in sure:
        if t.to != join and t.to not in reached:
            reached |= {t.to} | nx.descendants(apart, t.to)
    arriving = [
        data["transition"]
        for source, _, data in scope.graph.in_edges(join, data=True)
        if "transition" in data
    ]
    if all(t.from_ in reached and (t.from_ != split or t in sure) for t in arriving):
        return []

    def leads_in(t: Transition) -> bool:
        if t.to == join:
            return True
        return any(graph.has_edge(n, join) for n in {t.to} | nx.descendants(apart, t.to))

    return [t for t in unsure if leads_in(t)]


def _after_choice(scope: Scope, node: str, split: str, unsure: list[Transition]) -> Diagnostic:
    activity = activity_of(scope.graph, node)
    listed = ", ".join(f"{t.id!r}" for t in unsure)
    noun = "transition" if len(unsure) == 1 else "transitions"
    return make(
        "and-join-after-choice",
        f"activity {node!r} in {scope.where} joins in parallel ways that come from {split!r}, "
        f"which takes every way whose condition holds; it may not take {noun} {listed}, and "
        "then the join waits forever: make the join Inclusive, or take the condition off",
        element_id=node,
        line=activity.line,
    )
