"""An Inclusive join (WCP7, WCP37, WCP38) waits for every branch that can still reach one of its
empty inputs, and deploys in time near-linear in the size of the process.

BPMN 2.0's refinement (a token that can also reach a filled input does not hold the join up)
fired the join early in acyclic graphs: a branch that could still arrive on an empty input, but
could also reach a filled one through another path, was not waited for, and the join ran once
without it and again when it came. The refinement now holds only for a later round's token in a
loop (one that can get back to the loop's entry without passing the join), which is what keeps
an OR-join and a join after it in one loop from waiting for each other.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.runtime.conftest import run
from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.runtime.compile_links import or_join_reach
from wfengine.runtime.engine import Engine as _Engine
from wfengine.runtime.states import ProcessState

COMPLETED = ProcessState.COMPLETED


def _complete(engine: _Engine, iid: str, activity: str) -> None:
    (item,) = [w for w in engine.work_items(iid) if w.activity_id == activity]
    engine.complete_work_item(item.id)


def _shortcut(pb: PackageBuilder, engine: Engine, *, loop: bool) -> None:
    """s (OR split) -> a, b (people); a -> j; b -> j (x > 0), else b -> a; j -> z.

    b can reach j directly (an empty input) and through a (the input a fills)."""
    p = pb.process("main")
    p.data_field("x", "INTEGER").data_field("i", "INTEGER", initial="0")
    p.activity("s", split="Inclusive")
    p.activity("a", performer="clerk").activity("b", performer="clerk", split="Exclusive")
    p.activity("j", join="Inclusive").activity("z")
    p.transition("s", "a", condition="true").transition("s", "b", condition="true")
    p.transition("a", "j")
    p.transition("b", "j", condition="x > 0").transition("b", "a", otherwise=True)
    if loop:  # begin -> enter -> s ... j -> z -> enter (once more) | end
        p.activity("begin").route("enter").activity("end")
        p.transition("begin", "enter").transition("enter", "s")
        p.transition("j", "z")
        p.application("inc", params=[("n", "INOUT", "INTEGER")])
        engine.applications.register("inc", lambda n: {"n": n + 1})
        p.activity("count", tool="inc", args=["i"], split="Exclusive")
        p.transition("z", "count")
        p.transition("count", "enter", condition="i < 2").transition("count", "end", otherwise=True)
    else:
        p.transition("j", "z")


def test_an_or_join_waits_for_a_branch_that_can_also_reach_its_filled_input(
    engine: Engine,
) -> None:
    pb = PackageBuilder("pkg")
    _shortcut(pb, engine, loop=False)
    iid = run(engine, pb, data={"x": 1})
    _complete(engine, iid, "a")
    assert "j" not in engine.trace(iid)  # b can still arrive on j's empty input
    _complete(engine, iid, "b")
    assert Counter(engine.trace(iid)) == Counter({"s": 1, "a": 1, "b": 1, "j": 1, "z": 1})
    assert engine.instance(iid).state is COMPLETED


def test_a_branch_that_can_reach_only_a_filled_input_fires_the_or_join_again(
    engine: Engine,
) -> None:
    """docs/semantics.md's example: p and q both lead to x, x and r to the OR-join m. Once p
    and r delivered, q (which can reach only x's way, already holding a token) does not hold m
    up; when it comes, it fires m again, and the work after m runs twice."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.route("s", gateway="Parallel")
    for a in "pqr":
        p.activity(a, performer="clerk").transition("s", a)
    p.activity("x").activity("m", join="Inclusive").activity("z")
    p.transition("p", "x").transition("q", "x").transition("x", "m").transition("r", "m")
    p.transition("m", "z")
    iid = run(engine, pb)
    _complete(engine, iid, "p")
    assert "m" not in engine.trace(iid)  # r can still reach m's empty way in
    _complete(engine, iid, "r")
    assert engine.trace(iid).count("z") == 1  # q is open, and m fired without it
    _complete(engine, iid, "q")
    assert Counter(engine.trace(iid))["m"] == Counter(engine.trace(iid))["z"] == 2
    assert engine.instance(iid).state is COMPLETED


def test_an_or_join_in_a_loop_waits_for_this_rounds_branches(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    _shortcut(pb, engine, loop=True)
    iid = run(engine, pb, data={"x": 1})
    for _ in range(2):
        _complete(engine, iid, "a")
        assert engine.trace(iid).count("j") == engine.trace(iid).count("b")  # waits for b
        _complete(engine, iid, "b")
        assert engine.trace(iid).count("j") == engine.trace(iid).count("b")
    trace = engine.trace(iid)
    assert trace.count("j") == trace.count("z") == 2 and trace[-1] == "end"
    assert engine.instance(iid).state is COMPLETED


# --------------------------------------------------------------------------- random graphs


@st.composite
def _dags(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]], dict[int, str], list[int]]:
    """A random acyclic process: node 0 is the start; every other node has a way in; every
    node with several ways out is a split of a random kind, each of its ways taken or not;
    a node with several ways in is an Inclusive join or a plain merge."""
    n = draw(st.integers(3, 8))
    edges: set[tuple[int, int]] = set()
    for b in range(1, n):
        edges.add((draw(st.integers(0, b - 1)), b))
        for a in draw(st.lists(st.integers(0, b - 1), max_size=2)):
            edges.add((a, b))
    kinds = {a: draw(st.sampled_from(["Parallel", "Inclusive", "Exclusive"])) for a in range(n)}
    joins = {a: draw(st.sampled_from(["Inclusive", "Inclusive", "merge"])) for a in range(n)}
    kinds.update({-1 - a: j for a, j in joins.items()})
    taken = draw(st.lists(st.booleans(), min_size=len(edges), max_size=len(edges)))
    order = draw(st.lists(st.integers(0, 50), min_size=3 * n, max_size=3 * n))
    return n, sorted(edges), kinds, [int(t) for t in taken] + order


class _Reference:
    """The token game, by brute force: an OR-join fires when no live token (open work, or a
    token waiting at a join) can reach one of its empty inputs."""

    def __init__(self, n: int, ways: dict[tuple[int, int], bool], joins: set[int]) -> None:
        self.graph = nx.DiGraph(list(ways))
        self.graph.add_nodes_from(range(n))
        self.ways, self.joins = ways, joins
        self.open: Counter[int] = Counter()
        self.done: Counter[int] = Counter()
        self.waiting: dict[int, Counter[int]] = {j: Counter() for j in joins}
        self._start(0)

    def _start(self, node: int) -> None:
        self.open[node] += 1

    def complete(self, node: int) -> None:
        self.open[node] -= 1
        self.done[node] += 1
        for (a, b), taken in self.ways.items():
            if a == node and taken:
                if b in self.joins:
                    self.waiting[b][a] += 1
                else:
                    self._start(b)
        fired = True
        while fired:
            fired = False
            for j in sorted(self.joins):
                if self.waiting[j].total() and not self._reachable(j):
                    for a in [a for a, c in self.waiting[j].items() if c]:
                        self.waiting[j][a] -= 1
                    self._start(j)
                    fired = True

    def _reachable(self, j: int) -> bool:
        empty = [a for a, b in self.ways if b == j and not self.waiting[j][a]]
        live = [v for v, c in self.open.items() if c]
        live += [k for k in self.joins if k != j and self.waiting[k].total()]
        return any(v == e or nx.has_path(self.graph, v, e) for v in live for e in empty)


def _dag_package(
    n: int, edges: list[tuple[int, int]], kinds: dict[int, str], taken: list[int]
) -> tuple[PackageBuilder, dict[tuple[int, int], bool], set[int]]:
    """The process of a random DAG (people's work throughout), the ways its splits take, and
    its Inclusive joins."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    outs: dict[int, list[int]] = {a: [b for x, b in edges if x == a] for a in range(n)}
    ins = Counter(b for _, b in edges)
    ways: dict[tuple[int, int], bool] = {}
    joins: set[int] = set()
    for a in range(n):
        targets = outs[a]
        chosen = [bool(taken[edges.index((a, b))]) for b in targets]
        if targets and not any(chosen):
            chosen[0] = True  # every split takes a way
        if kinds[a] == "Exclusive":
            first = chosen.index(True) if targets else 0
            chosen = [i == first for i in range(len(targets))]
        if kinds[a] == "Parallel" or len(targets) < 2:
            chosen = [True] * len(targets)
        ways.update({(a, b): c for b, c in zip(targets, chosen, strict=True)})
        options: dict[str, str] = {"split": kinds[a]} if len(targets) > 1 else {}
        if ins[a] > 1 and kinds[-1 - a] == "Inclusive":
            options["join"] = "Inclusive"
            joins.add(a)
        p.activity(f"n{a}", performer="clerk", **options)
    for a, b in edges:
        condition = None if kinds[a] == "Parallel" else ("true" if ways[a, b] else "false")
        condition = condition if len(outs[a]) > 1 else None
        p.transition(f"n{a}", f"n{b}", id=f"t{a}_{b}", condition=condition)
    return pb, ways, joins


@settings(max_examples=200, deadline=None)
@given(dag=_dags())
def test_in_an_acyclic_process_an_or_join_fires_when_no_live_token_can_reach_an_empty_input(
    dag: tuple[int, list[tuple[int, int]], dict[int, str], list[int]],
) -> None:
    """Whatever order people finish in, the engine's open work and the runs of each activity
    are those of the token game played by brute force, after every step."""
    n, edges, kinds, draws = dag
    taken, order = draws[: len(edges)], draws[len(edges) :]
    pb, ways, joins = _dag_package(n, edges, kinds, taken)
    reference = _Reference(n, ways, joins)
    with Engine(clock=VirtualClock()) as engine:
        iid = run(engine, pb)
        for pick in order:
            items = engine.work_items(iid)
            assert Counter(int(w.activity_id[1:]) for w in items) == +reference.open
            if not items:
                break
            item = items[pick % len(items)]
            engine.complete_work_item(item.id)
            reference.complete(int(item.activity_id[1:]))
            assert Counter(int(a[1:]) for a in engine.trace(iid)) == reference.done
        if not engine.work_items(iid):
            assert engine.instance(iid).state is COMPLETED


@st.composite
def _graphs(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]], list[int]]:
    """A random directed graph (cycles and self-loops allowed) and its start nodes."""
    n = draw(st.integers(1, 9))
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=18))
    starts = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=2, unique=True))
    return n, sorted(set(edges)), starts


def _bits(places: set[int]) -> int:
    return sum(1 << p for p in places)


@settings(max_examples=400, deadline=None)
@given(graph=_graphs())
def test_what_can_reach_an_or_join_is_what_a_walk_that_avoids_the_join_finds(
    graph: tuple[int, list[tuple[int, int]], list[int]],
) -> None:
    """The precomputed sets, against brute force: per input, the places that reach its source
    without passing the join; the later ones, the places of the join's cycle that get back to
    the loop's entry without passing it."""
    n, edges, starts = graph
    g = nx.DiGraph(edges)
    g.add_nodes_from(range(n))
    joins = {j: [a for a, b in edges if b == j] for j in range(n)}
    found = or_join_reach(n, edges, joins, starts)
    for j, sources in joins.items():
        without = nx.restricted_view(g, [j], [])
        expected = tuple(0 if s == j else _bits({s, *nx.ancestors(without, s)}) for s in sources)
        assert found[j].slots == expected, j
        assert found[j].upstream == _bits(set().union(*map(_members, expected)))
        (cycle,) = [c for c in nx.strongly_connected_components(g) if j in c]
        if len(cycle) == 1 and not g.has_edge(j, j):
            assert found[j].later == 0  # acyclic: every token that can arrive is waited for
            continue
        # the loop's entry: a member whose immediate dominator is outside it (or a start)
        rooted = nx.DiGraph(g)
        rooted.add_edges_from((-1, s) for s in starts)
        idom = nx.immediate_dominators(rooted, -1)
        entry = next(
            (v for v in sorted(cycle) if idom.get(v, -1) == -1 or idom[v] not in cycle),
            min(cycle),
        )
        inside = g.subgraph(cycle).copy()
        inside.remove_node(j)
        expected_later = (
            cycle - {j} if j == entry else {p for p in cycle - {j} if nx.has_path(inside, p, entry)}
        )
        assert found[j].later == _bits(expected_later), j


def _members(bits: int) -> set[int]:
    return {i for i in range(bits.bit_length()) if bits >> i & 1}


def test_two_or_joins_each_upstream_of_the_other_end_in_a_deadlock_incident(
    engine: Engine,
) -> None:
    """The vicious circle (docs/semantics.md): a token waits at each join and each could still
    get one from the other, so neither fires; the instance is not left silently hanging, an
    incident names both joins for an operator."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.route("s", gateway="Parallel")
    p.route("j1", gateway="Inclusive").route("j2", gateway="Inclusive")
    p.activity("a").activity("b").activity("e1").activity("e2")
    p.route("x1", gateway="Exclusive").route("x2", gateway="Exclusive")
    p.transition("s", "j1").transition("s", "j2")
    p.transition("j1", "a").transition("a", "x1")
    p.transition("x1", "j2", condition="n > 0").transition("x1", "e1", otherwise=True)
    p.transition("j2", "b").transition("b", "x2")
    p.transition("x2", "j1", condition="n > 0").transition("x2", "e2", otherwise=True)
    engine.deploy(pb.build())
    iid = engine.start_process("main", {})
    assert engine.instance(iid).state is ProcessState.RUNNING
    assert sorted(t.activity_id for t in engine.tokens(iid)) == ["j1", "j2"]
    (incident,) = engine.incidents(iid)
    assert "deadlocked" in incident.message and "['j1', 'j2']" in incident.message
