"""``Engine.incidents()`` lists open incidents in creation order on every store: the memory
store gave them in the order each was first filed (a subflow's incident, filed with its
parent's command after the parent's own, came second there and first on SQL)."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder


def test_open_incidents_come_in_creation_order_on_every_store(engine: Engine) -> None:
    pb = PackageBuilder("p")
    main = pb.process("main")
    main.subflow("call", process="child")
    blocked = main.activity_set("as1")
    blocked.activity("x")
    blocked.end("ce", result="Error", code="E9")
    blocked.transition("x", "ce")
    main.block("blk", activity_set="as1")
    child = pb.process("child")
    child.activity("s")
    child.end("ce", result="Error", code="E9")
    child.transition("s", "ce")
    engine.deploy(pb.build())
    engine.start_process("main")
    found = engine.incidents()
    assert len(found) == 2
    assert [i.id for i in found] == sorted((i.id for i in found), key=lambda n: (len(n), n))
    assert [i.created_at for i in found] == sorted(i.created_at for i in found)
