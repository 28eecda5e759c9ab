"""An activity's failure caught further up is audited where it was caught, as a thrown error
is (docs/semantics.md: each throw is audited as ``event.thrown`` with the activity that caught
it).

An application failing inside a block, or inside a synchronous subflow, whose enclosing block
or calling activity takes an EXCEPTION transition: the failing activity read as having left by
an exception transition (``activity.exception``) it never took, and the level that caught the
error recorded nothing; an error end event caught the same way was audited as
``event.thrown`` (caught_by) on the end event and ``activity.exception`` on the catching
activity. Now the failure is audited the same way, the catching activity's record in its own
instance's trail (a subflow's caller: the calling instance's), for a thrown error too.
"""

from __future__ import annotations

from typing import Any

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine


def _fail() -> None:
    raise ValueError("card declined")


def _records(engine: Engine, iid: str, kinds: tuple[str, ...]) -> list[tuple[str, Any]]:
    return [(e.kind, e.activity_id) for e in engine.audit(iid) if e.kind in kinds]


def _detail(engine: Engine, iid: str, kind: str, activity_id: str) -> Any:
    [found] = [
        e.detail for e in engine.audit(iid) if e.kind == kind and e.activity_id == activity_id
    ]
    return found


_KINDS = ("event.thrown", "activity.exception")


def _block(how: str) -> PackageBuilder:
    """A block whose inner activity ``it`` fails (an application, or an error end event);
    the block's EXCEPTION transition catches ValueError."""
    b = PackageBuilder("blk")
    b.application("charge", params=[])
    p = b.process("main")
    inner = p.activity_set("inner")
    inner.start("is")
    if how == "application":
        inner.activity("it", tool="charge", args=[])
        inner.end("ie")
        inner.sequence("is", "it", "ie")
    else:
        inner.end("it", result="Error", code="ValueError")
        inner.sequence("is", "it")
    p.start("s")
    p.block("blk", activity_set="inner")
    p.end("e")
    p.sequence("s", "blk", "e")
    p.route("h")
    p.end("e2")
    p.sequence("h", "e2")
    p.transition("blk", "h", exception="ValueError")
    return b


def test_a_failure_caught_by_the_enclosing_block_is_audited_there(engine: Engine) -> None:
    engine.applications.register("charge", _fail)
    engine.deploy(_block("application").build())
    iid = engine.start_process("main")
    assert engine.trace(iid) == ["s", "is", "h", "e2"]
    assert _records(engine, iid, _KINDS) == [
        ("event.thrown", "it"),
        ("activity.exception", "blk"),
    ]
    thrown = _detail(engine, iid, "event.thrown", "it")
    assert thrown == {"trigger": "Error", "name": "ValueError", "caught_by": "blk"}
    assert "card declined" in _detail(engine, iid, "activity.exception", "blk")


def test_an_error_end_event_caught_by_the_block_is_audited_the_same_way(engine: Engine) -> None:
    engine.deploy(_block("end event").build())
    iid = engine.start_process("main")
    assert _records(engine, iid, _KINDS) == [
        ("event.thrown", "it"),
        ("activity.exception", "blk"),
    ]


def _subflow(how: str) -> PackageBuilder:
    """A synchronous subflow whose activity ``ct`` fails (an application, or an error end
    event); the calling activity's EXCEPTION transition catches ValueError."""
    b = PackageBuilder("sub")
    b.application("charge", params=[])
    c = b.process("child")
    c.start("cs")
    if how == "application":
        c.activity("ct", tool="charge", args=[])
        c.end("ce")
        c.sequence("cs", "ct", "ce")
    else:
        c.end("ct", result="Error", code="ValueError")
        c.sequence("cs", "ct")
    p = b.process("main")
    p.start("s")
    p.subflow("call", process="child")
    p.end("e")
    p.sequence("s", "call", "e")
    p.route("h")
    p.end("e2")
    p.sequence("h", "e2")
    p.transition("call", "h", exception="ValueError")
    return b


def _child(engine: Engine, iid: str) -> str:
    [child] = [s.id for s in engine.instances() if s.id != iid]
    return child


def test_a_failure_caught_by_the_subflows_caller_is_audited_in_the_callers_trail(
    engine: Engine,
) -> None:
    engine.applications.register("charge", _fail)
    engine.deploy(_subflow("application").build())
    iid = engine.start_process("main")
    child = _child(engine, iid)
    assert engine.trace(iid) == ["s", "h", "e2"]
    assert _records(engine, child, _KINDS) == [("event.thrown", "ct")]
    assert _detail(engine, child, "event.thrown", "ct")["caught_by"] == "call"
    assert _records(engine, iid, _KINDS) == [("activity.exception", "call")]
    assert "card declined" in _detail(engine, iid, "activity.exception", "call")


def test_an_error_end_event_caught_by_the_caller_is_audited_in_the_callers_trail(
    engine: Engine,
) -> None:
    engine.deploy(_subflow("end event").build())
    iid = engine.start_process("main")
    child = _child(engine, iid)
    assert engine.trace(iid) == ["s", "h", "e2"]
    assert _records(engine, child, _KINDS) == [("event.thrown", "ct")]
    assert _records(engine, iid, _KINDS) == [("activity.exception", "call")]


def test_a_failure_its_own_exception_transition_takes_is_audited_on_it(engine: Engine) -> None:
    b = PackageBuilder("own")
    b.application("charge", params=[])
    p = b.process("main")
    p.start("s")
    p.activity("pay", tool="charge", args=[])
    p.end("e")
    p.sequence("s", "pay", "e")
    p.route("h")
    p.end("e2")
    p.sequence("h", "e2")
    p.transition("pay", "h", exception="ValueError")
    engine.applications.register("charge", _fail)
    engine.deploy(b.build())
    iid = engine.start_process("main")
    assert engine.trace(iid) == ["s", "h", "e2"]
    assert _records(engine, iid, _KINDS) == [("activity.exception", "pay")]
