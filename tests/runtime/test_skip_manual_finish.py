"""Skipping the failed application of an activity with an Automatic start and a Manual finish
stands in for the applications only: the person's confirmation is still offered (the skip
finished the activity, bypassing the four-eyes step)."""

from __future__ import annotations

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine


def test_skipping_a_failed_call_still_offers_the_confirmation(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="7").data_field("y", "STRING")
    p.application("app", params=[("a", "IN", "INTEGER"), ("b", "OUT", "STRING")])
    p.activity(
        "call",
        tool="app",
        args=["x", "y"],
        performer="clerk",
        start_mode="Automatic",
        finish_mode="Manual",
    )
    p.activity("after")
    p.transition("call", "after")

    def app(a: int) -> dict[str, str]:
        raise ConnectionError("down")

    engine.applications.register("app", app)
    iid = run(engine, pb)
    (incident,) = engine.incidents(iid)
    engine.skip_incident(incident.id, {"y": "given"})
    (item,) = engine.work_items(iid)
    assert item.activity_id == "call"
    assert engine.instance(iid).state.value == "open.running"
    assert engine.instance(iid).data["y"] == "given"
    engine.complete_work_item(item.id)
    assert engine.instance(iid).state.value == "closed.completed"
    assert engine.trace(iid) == ["call", "after"]
