"""``and-join-loop-entry``: a Parallel join at a loop entry waits for the way back forever."""

from __future__ import annotations

import re

from wfengine import Engine, PackageBuilder, VirtualClock, validate
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Package


def _loop(entry_gateway: str, inner_split: bool = False) -> Package:
    """st -> f (a Route of ``entry_gateway``) -> l and r -> j (Parallel) -> inc -> x, and x
    goes back to f while k < 3, else on to z. With ``inner_split`` f only merges, and a
    Parallel Route s after it makes the two branches (the loop body's own split)."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("k", "INTEGER", initial="0")
    p.activity("st").route("f", gateway=entry_gateway).activity("l").activity("r")
    p.route("j", gateway="Parallel").activity("inc", script="k = k + 1").route("x")
    p.activity("z")
    p.sequence("st", "f")
    fork = "f"
    if inner_split:
        p.route("s", gateway="Parallel")
        p.sequence("f", "s")
        fork = "s"
    p.transition(fork, "l").transition(fork, "r")
    p.transition("l", "j").transition("r", "j")
    p.sequence("j", "inc", "x")
    p.transition("x", "f", condition="k < 3").transition("x", "z", otherwise=True)
    return pb.build()


def test_parallel_join_at_a_loop_entry_is_reported() -> None:
    package = _loop("Parallel")
    found = [d for d in validate(package) if d.code == "and-join-loop-entry"]
    assert len(found) == 1, [d.format() for d in validate(package)]
    d = found[0]
    assert d.severity is Severity.WARNING and d.element_id == "f"
    assert re.search(r"Parallel join at a loop entry", d.message)
    assert re.search(r"from 'x'.*waits forever.*Exclusive join", d.message)


def test_the_reported_join_does_deadlock_on_the_first_run() -> None:
    engine = Engine(clock=VirtualClock())
    engine.deploy(_loop("Parallel"))
    iid = engine.start_process("main")
    assert engine.trace(iid) == ["st"]
    assert any("deadlocked" in i.message for i in engine.incidents(iid))


def test_parallel_join_fed_by_the_loop_bodys_own_split_is_not_reported() -> None:
    """An Exclusive entry, then a Parallel split and join inside the loop body: no finding,
    and the loop runs to its end."""
    package = _loop("Exclusive", inner_split=True)
    assert [d.format() for d in validate(package)] == []
    engine = Engine(clock=VirtualClock())
    engine.deploy(package)
    iid = engine.start_process("main")
    assert engine.trace(iid)[-1] == "z"
    assert engine.trace(iid).count("j") == 3
