"""A process whose start event is a Signal start event: a broadcast of that signal starts one
instance of it (as a message starts one at a Message start event)."""

from __future__ import annotations

import pytest

from wfengine import DataTypeError, Engine, PackageBuilder, ProcessState


def _alarm() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("warden")
    p = pb.process("on_alarm")
    p.data_field("floor", "INTEGER")
    p.start("alarm", signal="fire_alarm").activity("evacuate", performer="warden")
    p.transition("alarm", "evacuate")
    w = pb.process("drill")
    w.intermediate("wait", signal="fire_alarm").activity("log").transition("wait", "log")
    return pb


def test_a_broadcast_starts_an_instance_at_the_signal_start_event(engine: Engine) -> None:
    engine.deploy(_alarm().build())
    waiting = engine.start_process("drill")
    assert engine.broadcast_signal("fire_alarm", {"floor": "3"}) == 2  # a catch and a start
    assert engine.instance(waiting).state is ProcessState.COMPLETED
    (started,) = [s for s in engine.instance_summaries() if s.process_id == "on_alarm"]
    assert engine.instance(started.id).data["floor"] == 3
    assert engine.trace(started.id) == ["alarm"]
    received = [a for a in engine.audit(started.id) if a.kind == "signal.received"]
    assert [a.activity_id for a in received] == ["alarm"]
    assert engine.broadcast_signal("other") == 0
    assert engine.broadcast_signal("fire_alarm") == 1  # each broadcast: one more instance
    assert len([s for s in engine.instance_summaries() if s.process_id == "on_alarm"]) == 2


def test_data_the_started_process_cannot_take_refuses_the_broadcast(engine: Engine) -> None:
    engine.deploy(_alarm().build())
    waiting = engine.start_process("drill")
    with pytest.raises(DataTypeError, match="floor"):
        engine.broadcast_signal("fire_alarm", {"floor": "third"})
    assert engine.instance(waiting).state is ProcessState.RUNNING  # nothing took it
    assert [s.process_id for s in engine.instance_summaries()] == ["drill"]
