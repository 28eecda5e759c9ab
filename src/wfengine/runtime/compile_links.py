"""The ties between a graph's activities that are not transitions: boundary events attached to
their activities, link events joined by name, an event-based gateway's racing targets; and
what can still reach each OR and Complex join (:class:`OrReach`, over all those edges).

Why a module of its own: these are graph-level decisions (they need every activity compiled
and indexed), made once per graph by :mod:`.compiler`, from what :mod:`.compile_events` reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import networkx as nx

from wfengine.definition.checks.flow import EVENT_SUB_TRIGGERS as SUB_TRIGGERS
from wfengine.definition.graph import link_event, link_throws
from wfengine.definition.model import (
    Activity,
    ActivitySet,
    BlockActivity,
    EventPosition,
    Transition,
)
from wfengine.errors import DeployError
from wfengine.runtime.compile_events import boundary, is_event_gateway
from wfengine.runtime.compiled import (
    SPLIT_ALL,
    T_NORMAL,
    CActivity,
    CBoundary,
    CEventSub,
    CTransition,
    OrReach,
)
from wfengine.runtime.evaluation import ExpressionReader


def connect_events(
    exprs: ExpressionReader,
    scope: str,
    activities: Sequence[Activity],
    compiled: Sequence[CActivity],
    outgoing: Sequence[Sequence[Transition]],
    by_id: dict[str, int],
) -> list[tuple[int, int]]:
    """Attach boundary events, join link events and mark event-gateway rivals in one graph;
    returns the edges these add (source index, target index), for the OR-join bookkeeping.

    A link event with ``CatchThrow`` says whether it throws; one that does not say throws
    when no transition leaves it. A thrown link goes to the catching link of the same name
    in the same graph, as a transition would; one no catch answers ends its thread.
    """
    edges: list[tuple[int, int]] = []
    catches: dict[str, int] = {}
    throws: list[tuple[int, str]] = []
    for idx, a in enumerate(activities):
        event = a.event
        if event is None or event.position is not EventPosition.INTERMEDIATE:
            continue
        where = f"{scope}, activity {a.id!r}"
        if event.target is not None:
            target = by_id.get(event.target)
            if target is None:
                raise DeployError(
                    f"{where}: the boundary event is attached to {event.target!r}, which is "
                    "not an activity of the same process or activity set"
                )
            owner = compiled[target]
            found = boundary(exprs, where, a, event, len(owner.boundaries), idx)
            if found is not None:
                owner.boundaries = (*owner.boundaries, found)
                edges.append((target, idx))
        elif (link := link_event(a)) is not None:
            name, said = link
            if link_throws(said, bool(outgoing[idx])):
                throws.append((idx, name))
            elif name in catches:
                raise DeployError(f"{where}: a second catching link event named {name!r}")
            else:
                catches[name] = idx
    for idx, name in throws:
        catch = catches.get(name)
        if catch is None:
            continue
        ca = compiled[idx]
        ct = CTransition(
            id=f"link:{name}",
            source=idx,
            target=catch,
            slot=0,
            kind=T_NORMAL,
            condition=None,
            exception_name=None,
        )
        ca.normal = (*ca.normal, ct)
        if len(ca.normal) == 1 and ca.otherwise is None:
            ca.only_next = ct
        edges.append((idx, catch))
    for idx, a in enumerate(activities):
        if is_event_gateway(a):
            ca = compiled[idx]
            ca.split = SPLIT_ALL  # every way waits; the first event to occur wins
            ca.choice = True
            targets = [ct.target for ct in ca.normal]
            for t in targets:
                # (a target two gateways share races the targets of both)
                theirs = {x for x in targets if x != t}
                compiled[t].rivals = tuple(sorted(theirs.union(compiled[t].rivals)))
    return edges


def event_subprocesses(
    exprs: ExpressionReader,
    scope: str,
    sets: Mapping[str, ActivitySet],
    activities: Sequence[Activity],
    compiled: Sequence[CActivity],
) -> tuple[CEventSub, ...]:
    """The event sub-processes of one graph: its block activities whose activity set (in
    ``sets``, the process's by Id) has ``TriggeredByEvent="true"``, each with its start
    event's trigger (Timer, Message, Signal, Error or Escalation; ``Interrupting`` on the start
    event, true by default). One whose start event has no trigger the engine arms never runs
    (and is no start of the scope)."""
    found: list[CEventSub] = []
    for idx, a in enumerate(activities):
        body = a.body
        if not isinstance(body, BlockActivity):
            continue
        aset = sets.get(body.activity_set_id)
        if aset is None or dict(aset.extra_attrs).get("TriggeredByEvent", "false") != "true":
            continue
        block = compiled[idx].block
        assert block is not None  # compiled with the activity
        starts = [(i, block.activities[i].model) for i in block.starts]
        trigger = None
        for i, start in starts:
            event = start.event
            if event is not None and event.trigger in SUB_TRIGGERS:
                where = f"{scope}, event sub-process {a.id!r}"
                trigger = boundary(exprs, where, start, event, len(found), i)
                break
        if trigger is None:
            found.append(CEventSub(idx, CBoundary(len(found), -1, "None", False)))
            continue
        found.append(CEventSub(idx, trigger))
    return tuple(found)


# --------------------------------------------------------------------------- OR-join reach


def or_join_reach(
    size: int,
    edges: Iterable[tuple[int, int]],
    joins: Mapping[int, Sequence[int]],
    starts: Sequence[int],
) -> dict[int, OrReach]:
    """The :class:`OrReach` of each join of ``joins`` (join index: the source of each incoming
    slot, in slot order) in the graph of ``size`` activities and ``edges``.

    Why this way: a walk per join per slot made deploying quadratic in the process size. Here
    the ancestors of every strongly connected component are bitsets computed once, in one pass
    over the condensation's topological order. A join on a cycle needs what reaches a source
    *without passing the join*: for each cycle, once, with the loop's entry ``r`` as root, the
    places whose every way back to ``r`` passes each place (the post-dominator tree) and the
    ancestors in the loop's body (its edges into ``r`` left out). For a join ``j`` not on an
    inner cycle of the body, a source ``s`` of it is reached without passing ``j`` from every
    place that gets back to ``r`` without passing ``j`` (``r`` reaches ``s`` without it), and
    from the places that cannot but reach ``s`` in the body. Only a join on an inner cycle
    walks, inside its component.
    """
    succ: list[set[int]] = [set() for _ in range(size)]
    pred: list[set[int]] = [set() for _ in range(size)]
    for a, b in edges:
        succ[a].add(b)
        pred[b].add(a)
    digraph: nx.DiGraph[int] = nx.DiGraph()
    digraph.add_nodes_from(range(size))
    digraph.add_edges_from((a, b) for a in range(size) for b in succ[a])
    comps = [sorted(c) for c in nx.strongly_connected_components(digraph)]
    scc = [0] * size
    for number, members in enumerate(comps):
        for v in members:
            scc[v] = number
    masks = [_bits(members, size) if len(members) > 1 else 1 << members[0] for members in comps]
    cyclic = [len(m) > 1 or m[0] in succ[m[0]] for m in comps]
    # nx.condensation numbers the components in the order given: ancestors of each, as bits
    above = _ancestors(nx.condensation(digraph, scc=[set(m) for m in comps]), masks)

    def full(v: int) -> int:
        """``v`` and every place that reaches it."""
        c = scc[v]
        return above[c] | masks[c] | 1 << v

    idom: dict[int, int] | None = None
    loops: dict[int, _Loop] = {}
    found: dict[int, OrReach] = {}
    for join, sources in joins.items():
        c = scc[join]
        if not cyclic[c]:  # no path to a source passes the join
            slots = tuple(full(s) for s in sources)
            found[join] = OrReach(_union(slots), slots, 0)
            continue
        if idom is None:
            idom = dominators(digraph, starts)
        loop = loops.get(c)
        if loop is None:
            loop = loops[c] = _Loop(comps[c], idom, succ, pred, scc, full)
        bit = 1 << join
        before = loop.before[join] & ~bit if join != loop.entry else 0
        later = masks[c] & ~before & ~bit
        found_slots: list[int] = []
        for s in sources:
            if s == join:
                found_slots.append(0)
            elif scc[s] != c:
                found_slots.append(full(s))
            elif join in loop.inner:
                found_slots.append(_within(s, join, pred, scc, full))
            else:
                body = loop.body(s)
                core = (body & ~bit if join == loop.entry else later | body & before) | 1 << s
                for entry, outside in loop.entries:
                    if core >> entry & 1:
                        core |= outside
                found_slots.append(core)
        slots = tuple(found_slots)
        found[join] = OrReach(_union(slots), slots, later)
    return found


class _Loop:
    """One cycle (strongly connected component) of the graph, seen from its entry."""

    def __init__(
        self,
        members: Sequence[int],
        idom: Mapping[int, int],
        succ: Sequence[set[int]],
        pred: Sequence[set[int]],
        scc: Sequence[int],
        full: Callable[[int], int],
    ) -> None:
        size = len(scc)
        here = scc[members[0]]
        # the entry: a member whose immediate dominator is outside (a natural loop's header)
        self.entry = entry = next(
            (v for v in members if idom.get(v, -1) == -1 or scc[idom[v]] != here), members[0]
        )
        inner = [(a, b) for a in members for b in succ[a] if scc[b] == here]
        #: every place, with the places whose every way back to the entry passes it
        back: nx.DiGraph[int] = nx.DiGraph()
        back.add_nodes_from(members)
        back.add_edges_from((b, a) for a, b in inner)
        ipdom = nx.immediate_dominators(back, entry)
        children: dict[int, list[int]] = {}
        for v, d in ipdom.items():
            if v != d:
                children.setdefault(d, []).append(v)
        order = [entry]
        for v in order:
            order.extend(children.get(v, ()))
        self.before: dict[int, int] = {}
        for v in reversed(order):
            acc = 1 << v
            for w in children.get(v, ()):
                acc |= self.before[w]
            self.before[v] = acc
        # the body: the loop without its edges into the entry; its own cycles are inner loops
        body: nx.DiGraph[int] = nx.DiGraph()
        body.add_nodes_from(members)
        body.add_edges_from((a, b) for a, b in inner if b != entry)
        parts = [sorted(p) for p in nx.strongly_connected_components(body)]
        self._part: dict[int, int] = {}
        for number, part in enumerate(parts):
            for v in part:
                self._part[v] = number
        self.inner = frozenset(v for part in parts if len(part) > 1 for v in part) | frozenset(
            v for v in members if v in succ[v]
        )
        part_masks = [_bits(part, size) for part in parts]
        self._above = _ancestors(nx.condensation(body, scc=[set(p) for p in parts]), part_masks)
        self._masks = part_masks
        #: the members with a way in from outside, with everything that reaches them that way
        self.entries = [
            (v, _union(full(q) for q in pred[v] if scc[q] != here))
            for v in members
            if any(scc[q] != here for q in pred[v])
        ]

    def body(self, v: int) -> int:
        """``v`` and the places that reach it in the body."""
        part = self._part[v]
        return self._above[part] | self._masks[part]


def _ancestors(condensed: nx.DiGraph[int], masks: Sequence[int]) -> list[int]:
    """Per node of a condensation, the members of every node above it, as bits."""
    above = [0] * len(masks)
    for c in nx.topological_sort(condensed):
        acc = 0
        for p in condensed.predecessors(c):
            acc |= above[p] | masks[p]
        above[c] = acc
    return above


def dominators(digraph: nx.DiGraph[int], starts: Sequence[int]) -> dict[int, int]:
    """Each place's immediate dominator from the start activities (a virtual root, ``-1``, is
    the dominator of the starts; places no start reaches are missing)."""
    rooted = nx.DiGraph(digraph)
    rooted.add_node(-1)
    rooted.add_edges_from((-1, s) for s in starts)
    return dict(nx.immediate_dominators(rooted, -1))


def _union(masks: Iterable[int]) -> int:
    acc = 0
    for m in masks:
        acc |= m
    return acc


def _walk(
    first: Iterable[int], step: Sequence[set[int]], comp: int, scc: Sequence[int], skip: set[int]
) -> tuple[int, list[int]]:
    """The places of component ``comp`` but not of ``skip`` reached from ``first`` along
    ``step``: as bits, and listed."""
    seen = bytearray(len(scc))
    todo = [v for v in first if scc[v] == comp and v not in skip]
    for v in todo:
        seen[v] = 1
    reached = list(todo)
    while todo:
        for w in step[todo.pop()]:
            if not seen[w] and scc[w] == comp and w not in skip:
                seen[w] = 1
                todo.append(w)
                reached.append(w)
    return _bits(reached, len(scc)), reached


def _bits(places: Iterable[int], size: int) -> int:
    """``places`` as a bitset (built as bytes: shifting a big integer per place is slow)."""
    raw = bytearray((size + 7) // 8)
    for v in places:
        raw[v >> 3] |= 1 << (v & 7)
    return int.from_bytes(raw, "little")


def _within(
    source: int,
    join: int,
    pred: Sequence[set[int]],
    scc: Sequence[int],
    full: Callable[[int], int],
) -> int:
    """The places that reach ``source`` (in the join's component) without passing ``join``:
    a walk back inside the component, then everything that reaches what it found from
    outside (a path from outside enters the component once and stays in it)."""
    here = scc[source]
    acc, reached = _walk((source,), pred, here, scc, {join})
    for v in reached:
        for q in pred[v]:
            if scc[q] != here:
                acc |= full(q)
    return acc
