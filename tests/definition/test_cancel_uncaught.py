"""``cancel-uncaught``: a Cancel throw that only a Cancel event attached to an enclosing block
activity, or to the activity calling its process, can catch, where there is none: an instance
reaching it stops with an incident, which validation now says before it runs."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, validate


def _package(where: str, *, caught: bool = False, execution: str = "SYNCHR") -> PackageBuilder:
    """'w' (a person's) then the Cancel end event 'c': at the top of 'main' (``top``), in a
    block 'b' of 'main' (``block``), in a block inside that block (``nested``), or at the top
    of 'leaf' that 'main' calls (``subflow``, with ``execution``); ``caught`` attaches a Cancel
    event 'oc' to the outermost block or to the calling activity."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    if where == "top":
        p.start("s").activity("w", performer="clerk").end("c", result="Cancel")
        p.sequence("s", "w", "c")
        return pb
    if where == "subflow":
        leaf = pb.process("leaf")
        leaf.start("ls").activity("w", performer="clerk").end("c", result="Cancel")
        leaf.sequence("ls", "w", "c")
        p.start("s").subflow("b", process="leaf", execution=execution).end("e")
    else:
        inner = p.activity_set("inner")
        inner.start("is").activity("w", performer="clerk").end("c", result="Cancel")
        inner.sequence("is", "w", "c")
        if where == "nested":
            outer = p.activity_set("outer")
            outer.start("os").block("ib", activity_set="inner").end("oe")
            outer.sequence("os", "ib", "oe")
        p.start("s").block("b", activity_set="outer" if where == "nested" else "inner").end("e")
    p.sequence("s", "b", "e")
    if caught:
        p.intermediate("oc", trigger="Cancel", attached_to="b").end("ce")
        p.sequence("oc", "ce")
    return pb


def _found(pb: PackageBuilder) -> list[str]:
    return [d.message for d in validate(pb.build()) if d.code == "cancel-uncaught"]


def test_a_cancel_nothing_encloses_is_warned_of() -> None:
    [top] = _found(_package("top"))
    assert top.startswith("event 'c' in process 'main' throws a cancel")
    assert "no activity of this package calls process 'main'" in top
    [block] = _found(_package("block"))
    assert block.startswith("event 'c' in activity set 'inner' of process 'main'")
    assert len(_found(_package("nested"))) == 1


def test_a_cancel_a_block_or_a_caller_may_catch_is_not() -> None:
    assert _found(_package("block", caught=True)) == []
    assert _found(_package("nested", caught=True)) == []
    assert _found(_package("subflow")) == []  # its caller (or what encloses it) may catch


def test_the_warned_cancel_does_stop_with_an_incident() -> None:
    with Engine() as engine:
        engine.deploy(_package("block").build())
        iid = engine.start_process("main")
        [w] = engine.work_items(iid)
        engine.complete_work_item(w.id)
        assert [(i.activity_id, i.operation) for i in engine.incidents(iid)] == [("c", "run")]


def test_a_cancel_only_an_asynchronous_caller_encloses_is_warned_of() -> None:
    """An asynchronous caller has gone on without waiting, so it catches nothing."""
    [found] = _found(_package("subflow", execution="ASYNCHR"))
    assert found.startswith("event 'c' in process 'leaf' throws a cancel")
    assert "no activity of this package calls process 'leaf' synchronously" in found
    with Engine() as engine:
        engine.deploy(_package("subflow", execution="ASYNCHR").build())
        engine.start_process("main")
        [leaf] = [i for i in engine.instances() if i.process_id == "leaf"]
        [w] = engine.work_items(leaf.id)
        engine.complete_work_item(w.id)
        assert [(i.activity_id, i.operation) for i in engine.incidents(leaf.id)] == [("c", "run")]
