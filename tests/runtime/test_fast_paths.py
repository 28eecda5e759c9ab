"""The fast paths decided at compile time (:mod:`wfengine.runtime.fast_paths`): an activity
the navigator creates inline (``plain_create``) is one that none of the tests it skips could
ever apply to, in the graph it belongs to: a person's activity, a rival of an event-based
gateway and a sequential ad-hoc set's activity that takes its turn take the long way."""

from __future__ import annotations

from wfengine import PackageBuilder
from wfengine.runtime.compiler import CGraph, compile_process


def _graphs() -> dict[str, CGraph]:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.process("child").activity("work", performer="clerk")
    p = pb.process("main")
    for name, adhoc in (("seq", "Sequential"), ("par", "Parallel")):
        s = p.activity_set(name, adhoc=adhoc)
        s.subflow(f"{name}_sub", process="child").activity(f"{name}_auto", tool="app")
        s.activity(f"{name}_note", performer="clerk").intermediate(f"{name}_wait", timer="P1D")
    p.activity("ask", tool="app").route("gw", gateway="EventBased")
    p.intermediate("reply", message="reply").intermediate("late", timer="P1D")
    p.activity("person", performer="clerk").activity("done")
    p.block("seq_block", activity_set="seq").block("par_block", activity_set="par")
    p.transition("ask", "gw").transition("gw", "reply").transition("gw", "late")
    p.transition("reply", "person").transition("late", "person").transition("person", "done")
    p.transition("done", "seq_block").transition("seq_block", "par_block")
    package = pb.build()
    compiled = compile_process(package, package.process("main"))
    blocks = {ca.id: ca.block for ca in compiled.graph.activities if ca.block is not None}
    return {"main": compiled.graph, **{k: v for k, v in blocks.items() if v is not None}}


def _plain(graph: CGraph) -> dict[str, bool]:
    return {ca.id: ca.plain_create for ca in graph.activities}


def test_only_what_runs_by_itself_at_once_is_created_inline() -> None:
    graphs = _graphs()
    assert _plain(graphs["main"]) == {
        "ask": True,
        "gw": True,
        "reply": False,  # a rival of the gateway's other target: its activation is kept
        "late": False,
        "person": False,  # a person's work comes first: created, not started
        "done": True,
        "seq_block": True,
        "par_block": True,
    }
    # in a sequential set what runs by itself may wait for its turn; an event holds none
    assert _plain(graphs["seq_block"]) == {
        "seq_sub": False,
        "seq_auto": False,
        "seq_note": False,
        "seq_wait": True,
    }
    assert _plain(graphs["par_block"]) == {
        "par_sub": True,
        "par_auto": True,
        "par_note": False,
        "par_wait": True,
    }


def _ready_next(graph: CGraph) -> dict[str, str | None]:
    return {ca.id: ca.ready_next.id if ca.ready_next else None for ca in graph.activities}


def test_the_way_on_is_queued_at_once_only_into_an_activity_that_takes_it_as_it_comes() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("a").route("split", gateway="Parallel").activity("b").activity("c")
    p.route("join", gateway="Parallel").activity("d").route("gw", gateway="EventBased")
    p.intermediate("reply", message="reply").activity("e")
    p.transition("a", "split").transition("split", "b").transition("split", "c")
    p.transition("b", "join").transition("c", "join").transition("join", "d")
    p.transition("d", "gw").transition("gw", "reply").transition("reply", "e")
    package = pb.build()
    graph = compile_process(package, package.process("main")).graph
    assert _ready_next(graph) == {
        "a": "split",
        "split": None,  # two ways on
        "b": None,  # into a Parallel join, which counts its tokens
        "c": None,
        "join": "d",
        "d": "gw",
        "gw": None,  # an event-based gateway begins its targets as one choice
        "reply": "e",
        "e": None,
    }
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("a").route("split", gateway="Inclusive").activity("b").activity("c")
    p.route("join", gateway="Inclusive").activity("d")
    p.transition("a", "split").transition("split", "b").transition("split", "c")
    p.transition("b", "join").transition("c", "join").transition("join", "d")
    package = pb.build()
    graph = compile_process(package, package.process("main")).graph
    # an Inclusive join tracks the live places of its graph: every token is counted there
    assert set(_ready_next(graph).values()) == {None}


def test_only_a_persons_work_that_nothing_comes_before_is_offered_inline() -> None:
    """``plain_offer``: the navigator creates a person's activity and offers its work at once,
    skipping what comes first for other activities (a loop, a deadline, an attached event, a
    Start assignment, a rival's activation); one with any of those takes the long way."""
    from wfengine.definition.model import StandardLoop

    graphs = _graphs()
    offered = {g: {ca.id: ca.plain_offer for ca in graphs[g].activities} for g in graphs}
    assert [k for k, v in offered["main"].items() if v] == ["person"]
    assert offered["seq_block"]["seq_note"] and offered["par_block"]["par_note"]
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity("plain", performer="clerk")
    p.activity("late", performer="clerk", deadlines=[("PT10M", "Late", "SYNCHR")])
    p.activity("again", performer="clerk", loop=StandardLoop(condition="False"))
    p.activity("confirm", tool="app", performer="clerk", start_mode="Manual")
    p.activity("after", tool="app", performer="clerk", finish_mode="Manual")
    p.transition("plain", "late").transition("late", "again").transition("again", "confirm")
    p.transition("confirm", "after")
    package = pb.build()
    graph = compile_process(package, package.process("main")).graph
    assert {ca.id: ca.plain_offer for ca in graph.activities} == {
        "plain": True,
        "late": False,  # its deadline is set first
        "again": False,  # its loop decides first
        "confirm": True,  # a Manual start: the person comes first, then the application
        "after": False,  # the application comes first (a person confirms after)
    }
