"""A signal thrown right after another reaches the catch the first one led to.

A thrower throwing ``go`` then ``done`` at once, and a waiter catching ``go`` then ``done``:
the waiter took ``go``, but its catch of ``done`` was not yet waiting when ``done`` was thrown
(the thrower's next step ran first), so it waited for ever, in another instance or in a
parallel branch of the same one.
"""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.runtime.states import ProcessState


def test_a_waiter_in_another_instance_takes_both_signals() -> None:
    engine = Engine(clock=VirtualClock())
    pb = PackageBuilder("pkg")
    thrower = pb.process("thrower")
    thrower.activity("a").intermediate("go", signal="go", throw=True)
    thrower.intermediate("done", signal="done", throw=True).activity("z")
    thrower.sequence("a", "go", "done", "z")
    waiter = pb.process("waiter")
    waiter.activity("a").intermediate("wait_go", signal="go")
    waiter.intermediate("wait_done", signal="done").activity("b")
    waiter.sequence("a", "wait_go", "wait_done", "b")
    engine.deploy(pb.build())
    w = engine.start_process("waiter")
    t = engine.start_process("thrower")
    assert engine.trace(t) == ["a", "go", "done", "z"]
    assert engine.trace(w) == ["a", "wait_go", "wait_done", "b"]
    assert engine.instance(w).state is ProcessState.COMPLETED
    received = [x.activity_id for x in engine.audit(w) if x.kind == "signal.received"]
    assert received == ["wait_go", "wait_done"]


def test_a_waiting_branch_of_the_same_instance_takes_both_signals() -> None:
    engine = Engine(clock=VirtualClock())
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.route("s", gateway="Parallel")
    p.intermediate("go", signal="go", throw=True).intermediate("done", signal="done", throw=True)
    p.intermediate("wgo", signal="go").intermediate("wdone", signal="done").activity("b")
    p.activity("a")
    p.sequence("s", "wgo", "wdone", "b")
    p.sequence("s", "a", "go", "done")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.trace(iid)[-2:] == ["wdone", "b"]
