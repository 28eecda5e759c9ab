"""Random structured process shapes for the runtime property tests.

A shape is a tree of sequences, Parallel/Exclusive/Inclusive blocks (split and matching join),
counted loops (a cycle through an Exclusive split), block activities (an activity set),
synchronous or asynchronous subflows (a process of their own), multi-instance activities and
leaves (automatic or manual activities). Each tree carries the data that decides its choices,
as the initial values of its data fields, so the expected number of runs of every activity of
every process can be computed from the tree alone and compared with the traces.

``trees(waits=True)`` adds the kinds that wait on something other than a person, for tests
that drive instances with more than completing work items:

* ``timed``: a manual activity with a deadline: a synchronous one cancels it and takes an
  exception path to an Exclusive join, an asynchronous one starts a reminder (a dead end)
  alongside;
* ``fragile``: an application call that fails (an incident) while its ``ok`` field is false,
  run inline or as an asynchronous ``invoke`` job.

Their runs depend on the clock and on operators, so they have no expected counts.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from wfengine.definition.build_arguments import multi_instance
from wfengine.definition.build_flow import FlowBuilder
from wfengine.definition.builder import PackageBuilder, ProcessBuilder
from wfengine.definition.model import Package
from wfengine.runtime.engine import Engine

MAIN = "main"
COMPOSITE_KINDS = ("seq", "and", "xor", "or", "loop", "block", "sub")


@dataclass
class Node:
    #: leaf, manual, mi, timed, fragile; seq, and, xor, or, loop, block, sub
    kind: str
    children: list[Node] = field(default_factory=list)
    #: xor: the branch taken; or: the branches taken; loop: the iteration count;
    #: mi: (count, sequential, manual); sub: asynchronous; timed: (minutes, synchronous,
    #: manual reminder); fragile: (ok at start, asynchronous call)
    choice: Any = None


def trees(depth: int = 3, *, waits: bool = False, root: bool = False) -> st.SearchStrategy[Node]:
    """Random shapes at most ``depth`` composites deep (``waits``: with timed and fragile
    leaves; ``root``: always a composite at the top)."""
    # with waits, mostly leaves that wait, so that commands find something to act on
    kinds = ["leaf", "manual", "mi"]
    if waits:
        kinds += ["manual", "timed", "timed", "fragile", "fragile"]

    @st.composite
    def leaves(draw: st.DrawFn) -> Node:
        kind = draw(st.sampled_from(kinds))
        if kind == "mi":
            # zero instances only where no counts are expected (its trace is not specified)
            count = draw(st.integers(0 if waits else 1, 3))
            return Node(kind, choice=(count, draw(st.booleans()), draw(st.booleans())))
        if kind == "timed":
            minutes = draw(st.integers(1, 4))
            return Node(kind, choice=(minutes, draw(st.booleans()), draw(st.booleans())))
        if kind == "fragile":
            return Node(kind, choice=(draw(st.booleans()), draw(st.booleans())))
        return Node(kind)

    leaf = leaves()
    if depth == 0:
        return leaf
    sub = trees(depth - 1, waits=waits)

    @st.composite
    def composite(draw: st.DrawFn) -> Node:
        kind = draw(st.sampled_from(COMPOSITE_KINDS))
        if kind == "loop":
            return Node("loop", [draw(sub)], draw(st.integers(1, 3)))
        if kind == "block":
            return Node("block", [draw(sub)])
        if kind == "sub":
            return Node("sub", [draw(sub)], draw(st.booleans()))
        children = draw(st.lists(sub, min_size=2, max_size=3))
        if kind == "xor":
            return Node(kind, children, draw(st.integers(0, len(children) - 1)))
        if kind == "or":
            taken = draw(st.lists(st.booleans(), min_size=len(children), max_size=len(children)))
            if not any(taken):
                taken[0] = True
            return Node(kind, children, taken)
        return Node(kind, children)

    if root:
        return composite()
    # with waits, larger trees: more for the commands to act on
    return st.one_of(leaf, composite()) if waits else st.one_of(leaf, leaf, composite())


@dataclass
class Shape:
    """A tree made into a package: what to deploy, and what running it must give."""

    package: Package
    #: process id -> activity id -> expected runs (over all instances of the process); only
    #: for trees without waiting kinds
    expected: dict[str, Counter[str]]
    #: the data fields of each process, with their initial values
    data: dict[str, dict[str, Any]]
    #: the ``ok`` fields of fragile leaves, per process
    fragile: dict[str, list[str]]


class _Emitter:
    """Adds a tree's activities to a package; all ids are unique in the package."""

    def __init__(self, pb: PackageBuilder) -> None:
        self.pb = pb
        self.n = 0
        self.expected: dict[str, Counter[str]] = {}
        self.data: dict[str, dict[str, Any]] = {}
        self.fragile: dict[str, list[str]] = {}

    def new(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def process(self, process_id: str, tree: Node, times: int) -> None:
        p = self.pb.process(process_id)
        self.expected[process_id] = Counter()
        self.data[process_id] = {}
        self.fragile[process_id] = []
        self.emit(p, p, tree, times)
        for name, value in self.data[process_id].items():
            if isinstance(value, bool):
                p.data_field(name, "BOOLEAN", initial="true" if value else "false")
            else:
                p.data_field(name, "INTEGER", initial=str(value))

    def emit(self, p: ProcessBuilder, f: FlowBuilder, node: Node, times: int) -> tuple[str, str]:
        """Add ``node``'s activities to flow ``f`` of process ``p``; return (entry, exit) ids.

        ``times``: how often the node is expected to run.
        """
        expected = self.expected[p.id]
        data = self.data[p.id]
        if node.kind in ("leaf", "manual"):
            aid = self.new("a")
            f.activity(aid, performer=["clerk"] if node.kind == "manual" else [])
            expected[aid] += times
            return aid, aid
        if node.kind == "mi":
            count, sequential, manual = node.choice
            aid = self.new("m")
            ordering = "Sequential" if sequential else "Parallel"
            f.activity(
                aid,
                performer=["clerk"] if manual else [],
                loop=multi_instance(str(count), ordering=ordering, flow="All"),
            )
            expected[aid] += times * count
            return aid, aid
        if node.kind == "timed":
            minutes, synchronous, manual = node.choice
            aid, exception = self.new("t"), self.new("Late")
            execution = "SYNCHR" if synchronous else "ASYNCHR"
            deadline = (f"PT{minutes}M", exception, execution)
            f.activity(aid, performer=["clerk"], deadlines=[deadline])
            handler = self.new("late" if synchronous else "remind")
            f.activity(handler, performer=["boss"] if manual else [])
            f.transition(aid, handler, exception=exception)
            if not synchronous:  # the reminder is a dead end beside the activity
                return aid, aid
            exit_ = self.new("x")
            f.route(exit_, join="Exclusive")
            f.transition(aid, exit_).transition(handler, exit_)
            return aid, exit_
        if node.kind == "fragile":
            ok, asynchronous = node.choice
            aid, flag = self.new("f"), self.new("ok")
            data[flag] = ok
            self.fragile[p.id].append(flag)
            f.activity(aid, tool="acheck" if asynchronous else "check", args=[flag])
            expected[aid] += times
            return aid, aid
        if node.kind == "seq":
            ends = [self.emit(p, f, c, times) for c in node.children]
            for (_, out), (into, _) in itertools.pairwise(ends):
                f.transition(out, into)
            return ends[0][0], ends[-1][1]
        if node.kind == "block":
            set_id, blk = self.new("set"), self.new("blk")
            inner = p.activity_set(set_id)
            entry, _ = self.emit(p, inner, node.children[0], times)
            f.block(blk, activity_set=set_id, start=entry)
            expected[blk] += times
            return blk, blk
        if node.kind == "sub":
            proc, call = self.new("proc"), self.new("call")
            self.process(proc, node.children[0], times)
            f.subflow(call, process=proc, execution="ASYNCHR" if node.choice else "SYNCHR")
            expected[call] += times
            return call, call
        if node.kind == "loop":
            reset, enter = self.new("reset"), self.new("enter")
            test, counter = self.new("test"), self.new("c")
            data[counter] = 0
            f.activity(reset, tool="zero", args=[counter])  # nested loops start afresh
            f.route(enter, join="Exclusive")
            f.transition(reset, enter)
            expected[reset] += times
            body_in, body_out = self.emit(p, f, node.children[0], times * node.choice)
            inc = self.new("inc")
            f.activity(inc, tool="inc", args=[counter])
            f.route(test, split="Exclusive")
            f.transition(enter, body_in).transition(body_out, inc).transition(inc, test)
            f.transition(test, enter, condition=f"{counter} < {node.choice}")
            exit_ = self.new("exit")
            f.route(exit_)
            f.transition(test, exit_, otherwise=True)
            for a in (enter, test, inc):
                expected[a] += times * node.choice
            expected[exit_] += times
            return reset, exit_
        gateway = {"and": "Parallel", "xor": "Exclusive", "or": "Inclusive"}[node.kind]
        split, join = self.new("split"), self.new("join")
        f.route(split, split=gateway)
        f.route(join, join=gateway)
        expected[split] += times
        expected[join] += times
        var = self.new("v")
        for i, child in enumerate(node.children):
            if node.kind == "and":
                taken, condition = True, None
            elif node.kind == "xor":
                taken, condition = node.choice == i, f"{var} == {i}"
                data[var] = node.choice
            else:
                taken, condition = node.choice[i], f"{var}_{i}"
                data[f"{var}_{i}"] = node.choice[i]
            into, out = self.emit(p, f, child, times if taken else 0)
            f.transition(split, into, condition=condition).transition(out, join)
        return split, join


def shape(tree: Node) -> Shape:
    """The package of ``tree`` (process ``main``, one more process per subflow node)."""
    pb = PackageBuilder("pkg")
    pb.application("inc", params=[("n", "INOUT", "INTEGER")])
    pb.application("zero", params=[("n", "OUT", "INTEGER")])
    pb.application("check", params=[("ok", "IN", "BOOLEAN")])
    pb.application("acheck", params=[("ok", "IN", "BOOLEAN")])
    em = _Emitter(pb)
    em.process(MAIN, tree, 1)
    expected = {
        pid: Counter({k: v for k, v in counts.items() if v}) for pid, counts in em.expected.items()
    }
    return Shape(pb.build(), expected, em.data, em.fragile)


def _check(ok: bool) -> None:
    if not ok:
        raise RuntimeError("not ok")


#: the applications of every shape: application id -> (callable, asynchronous)
APPLICATIONS: dict[str, tuple[Callable[..., Any], bool]] = {
    "inc": (lambda n: {"n": n + 1}, False),
    "zero": (lambda: {"n": 0}, False),
    "check": (_check, False),
    "acheck": (_check, True),
}


def bind(engine: Engine) -> Engine:
    """Register the shapes' applications with ``engine``; returns it."""
    for app_id, (func, asynchronous) in APPLICATIONS.items():
        engine.applications.register(app_id, func, asynchronous=asynchronous)
    return engine
