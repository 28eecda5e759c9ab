"""Property tests: random structured processes always end well, and deterministically.

A structure is a tree of sequences, Parallel/Exclusive/Inclusive blocks (split and matching
join), counted loops (a cycle through an Exclusive split) and leaves (automatic or manual
activities). Each tree comes with the data that decides its choices, so the expected number of
runs of every activity can be computed from the tree alone and compared with the trace.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from wfengine.definition.builder import PackageBuilder, ProcessBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


@dataclass
class Node:
    kind: str  # leaf, manual, seq, and, xor, or, loop
    children: list[Node] = field(default_factory=list)
    #: xor: the branch taken; or: the branches taken; loop: the iteration count
    choice: Any = None


def trees(depth: int = 3) -> st.SearchStrategy[Node]:
    leaf = st.sampled_from(["leaf", "manual"]).map(lambda k: Node(k))
    if depth == 0:
        return leaf
    sub = trees(depth - 1)

    @st.composite
    def composite(draw: st.DrawFn) -> Node:
        kind = draw(st.sampled_from(["seq", "and", "xor", "or", "loop"]))
        if kind == "loop":
            return Node("loop", [draw(sub)], draw(st.integers(1, 3)))
        children = draw(st.lists(sub, min_size=2, max_size=3))
        if kind == "xor":
            return Node(kind, children, draw(st.integers(0, len(children) - 1)))
        if kind == "or":
            taken = draw(st.lists(st.booleans(), min_size=len(children), max_size=len(children)))
            if not any(taken):
                taken[0] = True
            return Node(kind, children, taken)
        return Node(kind, children)

    return st.one_of(leaf, leaf, composite())


class _Emitter:
    def __init__(self, p: ProcessBuilder) -> None:
        self.p = p
        self.n = 0
        self.data: dict[str, Any] = {}
        self.expected: Counter[str] = Counter()

    def new(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def emit(self, node: Node, times: int) -> tuple[str, str]:
        """Add ``node``'s activities; return (entry, exit) ids. ``times``: expected runs."""
        p = self.p
        if node.kind in ("leaf", "manual"):
            aid = self.new("a")
            p.activity(aid, performer=["clerk"] if node.kind == "manual" else [])
            self.expected[aid] += times
            return aid, aid
        if node.kind == "seq":
            ends = [self.emit(c, times) for c in node.children]
            for (_, out), (into, _) in itertools.pairwise(ends):
                p.transition(out, into)
            return ends[0][0], ends[-1][1]
        if node.kind == "loop":
            reset, enter = self.new("reset"), self.new("enter")
            test, counter = self.new("test"), self.new("c")
            self.data[counter] = 0
            p.activity(reset, tool="zero", args=[counter])  # nested loops start afresh
            p.route(enter, join="Exclusive")
            p.transition(reset, enter)
            self.expected[reset] += times
            body_in, body_out = self.emit(node.children[0], times * node.choice)
            inc = self.new("inc")
            p.activity(inc, tool="inc", args=[counter])
            p.route(test, split="Exclusive")
            p.transition(enter, body_in).transition(body_out, inc).transition(inc, test)
            p.transition(test, enter, condition=f"{counter} < {node.choice}")
            exit_ = self.new("exit")
            p.route(exit_)
            p.transition(test, exit_, otherwise=True)
            for a in (enter, test):
                self.expected[a] += times * node.choice
            self.expected[inc] += times * node.choice
            self.expected[exit_] += times
            return reset, exit_
        gateway = {"and": "Parallel", "xor": "Exclusive", "or": "Inclusive"}[node.kind]
        split, join = self.new("split"), self.new("join")
        p.route(split, split=gateway)
        p.route(join, join=gateway)
        self.expected[split] += times
        self.expected[join] += times
        var = self.new("v")
        for i, child in enumerate(node.children):
            if node.kind == "and":
                taken, condition = True, None
            elif node.kind == "xor":
                taken, condition = node.choice == i, f"{var} == {i}"
                self.data[var] = node.choice
            else:
                taken, condition = node.choice[i], f"{var}_{i}"
                self.data[f"{var}_{i}"] = node.choice[i]
            into, out = self.emit(child, times if taken else 0)
            p.transition(split, into, condition=condition).transition(out, join)
        return split, join


def _engine_for(tree: Node) -> tuple[Engine, dict[str, Any], Counter[str]]:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.application("inc", params=[("n", "INOUT", "INTEGER")])
    p.application("zero", params=[("n", "OUT", "INTEGER")])
    em = _Emitter(p)
    em.emit(tree, 1)
    for name, value in em.data.items():  # OUT parameters write declared fields only
        p.data_field(name, "BOOLEAN" if isinstance(value, bool) else "INTEGER")
    engine = Engine()
    engine.applications.register("inc", lambda n: {"n": n + 1})
    engine.applications.register("zero", lambda: {"n": 0})
    engine.deploy(pb.build())
    expected = Counter({k: v for k, v in em.expected.items() if v})
    return engine, em.data, expected


def _drive(engine: Engine, data: dict[str, Any]) -> str:
    iid = engine.start_process("main", data)
    for _ in range(10_000):
        items = engine.work_items(iid)
        if not items:
            break
        engine.complete_work_item(items[0].id)
    return iid


@given(trees())
def test_structured_processes_end_completed_with_nothing_left_behind(tree: Node) -> None:
    engine, data, expected = _engine_for(tree)
    iid = _drive(engine, data)
    assert engine.incidents(iid) == []
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.tokens(iid) == []
    assert not [a for a in engine.activity_instances(iid) if a.state.is_open]
    assert Counter(engine.trace(iid)) == expected


@given(trees())
def test_same_input_gives_the_same_trace(tree: Node) -> None:
    runs = []
    for _ in range(2):
        engine, data, _ = _engine_for(tree)
        iid = _drive(engine, data)
        runs.append((engine.trace(iid), [(e.kind, e.activity_id) for e in engine.audit(iid)]))
    assert runs[0] == runs[1]
