"""An engine runs one command at a time: a command asked of it from inside another (an
application calling back into the engine that called it) or from a second thread is refused
with EngineInUseError before anything changes, and a virtual clock moved by an application
fires its timers once the command has committed. Before, the nested command committed the
instance half-way through the first one's changes: on a database the person's completion was
lost and the instance stuck with a raw KeyError on every retry."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from wfengine import Engine, EngineInUseError, PackageBuilder, VirtualClock
from wfengine.runtime.states import ActivityState, ProcessState


def _touching_package() -> PackageBuilder:
    pb = PackageBuilder("p")
    pb.application("touch")
    p = pb.process("proc")
    p.data_field("status", "STRING")
    p.start("s")
    p.activity("a", performer="clerk")
    p.activity("u", tool="touch")
    p.activity("b", performer="clerk")
    p.end("e")
    p.sequence("s", "a", "u", "b", "e")
    return pb


def test_an_application_calling_back_into_its_engine_fails_cleanly(engine: Engine) -> None:
    ids: dict[str, str] = {}
    engine.applications.register(
        "touch", lambda: engine.set_data(ids["pi"], {"status": "touched"}) or {}
    )
    engine.deploy(_touching_package().build())
    pi = ids["pi"] = engine.start_process("proc")
    (item,) = engine.work_items(pi)
    engine.complete_work_item(item.id)  # the person's completion stands

    (incident,) = engine.incidents(pi)
    assert incident.activity_id == "u"
    assert "EngineInUseError" in incident.message
    assert "calling back into the engine" in incident.message
    states = {a.activity_id: a.state for a in engine.activity_instances(pi)}
    assert states["a"] is ActivityState.COMPLETED
    assert engine.work_items(pi) == []  # the completed item is not offered again
    assert engine.instance(pi).data["status"] is None  # the nested write did not happen

    # mended (the application no longer calls back), the retry carries the instance on
    engine.applications.register("touch", lambda: {})
    engine.retry_incident(incident.id)
    assert [w.activity_id for w in engine.work_items(pi)] == ["b"]


def test_a_clock_moved_by_an_application_fires_its_timers_after_the_commit(
    engine: Engine, clock: VirtualClock
) -> None:
    pb = PackageBuilder("p")
    pb.application("touch")
    p = pb.process("proc")
    p.start("s")
    p.route("split", gateway="Parallel")
    p.intermediate("wait", timer="PT1H")
    p.activity("x", performer="clerk")
    p.activity("a", performer="clerk")
    p.activity("u", tool="touch")
    p.activity("b", performer="clerk")
    p.route("join", gateway="Parallel")
    p.end("e")
    p.sequence("s", "split")
    p.sequence("split", "wait", "x", "join")
    p.sequence("split", "a", "u", "b", "join")
    p.sequence("join", "e")
    engine.applications.register("touch", lambda: clock.advance(timedelta(hours=2)) and {})
    engine.deploy(pb.build())
    pi = engine.start_process("proc")
    (item,) = engine.work_items(pi)
    engine.complete_work_item(item.id)

    assert engine.incidents(pi) == []
    assert sorted(w.activity_id for w in engine.work_items(pi)) == ["b", "x"]
    fired = [ev for ev in engine.audit(pi) if ev.kind == "timer.fired"]
    assert len(fired) == 1 and fired[0].at == clock.now()


def test_a_second_thread_is_refused_while_a_command_runs(engine: Engine) -> None:
    entered, leave = threading.Event(), threading.Event()

    def touch() -> dict[str, object]:
        entered.set()
        assert leave.wait(30)
        return {}

    engine.applications.register("touch", touch)
    engine.deploy(_touching_package().build())
    pi = engine.start_process("proc")
    (item,) = engine.work_items(pi)
    worker = threading.Thread(target=engine.complete_work_item, args=(item.id,))
    worker.start()
    try:
        assert entered.wait(30)
        with pytest.raises(EngineInUseError, match="another thread"):
            engine.set_data(pi, {"status": "from the other thread"})
    finally:
        leave.set()
        worker.join(30)
    assert [w.activity_id for w in engine.work_items(pi)] == ["b"]
    assert engine.instance(pi).data["status"] is None
    assert engine.instance(pi).state is ProcessState.RUNNING
