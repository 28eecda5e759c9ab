"""The order a broadcast signal reaches its instances in: by creation, a caller before the
subflow instances it started, the same on every store (it followed each store's own list of
processes, so one program ended otherwise on memory and on SQLite)."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, ProcessState


def _subflow_with_boundary(interrupting: bool) -> PackageBuilder:
    """``main`` calls ``child`` (which waits at a catch of signal ``sig``, then has ``w``
    done); a signal event ``b`` attached to the call, interrupting or not, leads to ``h``."""
    pb = PackageBuilder("pkg")
    c = pb.process("child")  # (deployed first: the memory store listed it first)
    c.intermediate("cc", signal="sig").activity("w", performer="clerk")
    c.transition("cc", "w")
    m = pb.process("main")
    m.subflow("call", process="child").activity("after", performer="boss")
    m.transition("call", "after")
    m.intermediate("b", attached_to="call", signal="sig", interrupting=interrupting)
    m.activity("h", performer="boss").transition("b", "h")
    return pb


def _child(engine: Engine, iid: str) -> str:
    [child] = [i.id for i in engine.instances() if i.parent_instance_id == iid]
    return child


def test_an_interrupting_event_on_the_subflow_goes_before_the_childs_catch(
    engine: Engine,
) -> None:
    """As an interrupting event attached to a block withdraws the catches inside it: the
    subflow instance is closed with its activity, and its catch takes nothing."""
    engine.deploy(_subflow_with_boundary(interrupting=True).build(), strict=True)
    iid = engine.start_process("main")
    child = _child(engine, iid)
    assert engine.broadcast_signal("sig") == 1
    states = [(a.activity_id, a.state.value) for a in engine.activity_instances(child)]
    assert states == [("cc", "closed.aborted")]
    assert engine.instance(child).state is not ProcessState.RUNNING
    assert [w.activity_id for w in engine.work_items(iid)] == ["h"]


def test_a_non_interrupting_event_on_the_subflow_leaves_the_childs_catch_its_turn(
    engine: Engine,
) -> None:
    engine.deploy(_subflow_with_boundary(interrupting=False).build(), strict=True)
    iid = engine.start_process("main")
    child = _child(engine, iid)
    assert engine.broadcast_signal("sig") == 2
    assert [w.activity_id for w in engine.work_items(iid)] == ["h"]
    assert [w.activity_id for w in engine.work_items(child)] == ["w"]


def test_unrelated_instances_are_reached_in_creation_order(engine: Engine) -> None:
    """Whatever the order their processes were deployed in: the work each catch goes on to
    is numbered in the order the signal reached them."""
    pb = PackageBuilder("pkg")
    for name in ("zeta", "alpha"):
        p = pb.process(name)
        p.intermediate("cc", signal="sig").activity("w", performer="clerk")
        p.transition("cc", "w")
    engine.deploy(pb.build())
    started = [engine.start_process(name) for name in ("alpha", "zeta", "alpha")]
    assert engine.broadcast_signal("sig") == 3
    reached = sorted(engine.work_items(), key=lambda w: (len(w.id), w.id))
    assert [w.instance_id for w in reached] == started
