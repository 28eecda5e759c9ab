"""A signal broadcast that starts a process whose InitialValue gives a value its field's type
does not take (``total / people`` giving 2.5 for an INTEGER) was delivered to the catches
waiting for it, committed, and only then refused at that process's start: the processes
after it (by id) never started, and the caller got a DataTypeError for a signal half
delivered. ``broadcast_signal`` promises that a value one of them cannot take reaches no one:
the instances it would start are computed before any catch takes it."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.definition.model import Package
from wfengine.errors import DataTypeError


def _package() -> Package:
    """``a_bad`` and ``b_good`` start on signal ``sig``; an instance of ``drill`` waits for
    it."""
    b = PackageBuilder("q")
    b.participant("w")
    bad = b.process("a_bad")
    bad.data_field("total", "INTEGER", initial="5")
    bad.data_field("people", "INTEGER", initial="2")
    bad.data_field("x", "INTEGER", initial="total / people")
    bad.start("go", signal="sig").activity("t", performer="w")
    bad.transition("go", "t")
    good = b.process("b_good")
    good.start("go", signal="sig").activity("t", performer="w")
    good.transition("go", "t")
    drill = b.process("drill")
    drill.start("s").intermediate("wait", signal="sig").activity("log", performer="w")
    drill.sequence("s", "wait", "log")
    return b.build()


def test_a_signal_starting_a_process_it_cannot_create_reaches_no_one() -> None:
    engine = Engine(clock=VirtualClock())
    engine.deploy(_package())
    waiting = engine.start_process("drill")
    with pytest.raises(DataTypeError) as caught:
        engine.broadcast_signal("sig")
    message = str(caught.value)
    assert "signal 'sig' starting process 'a_bad'" in message
    assert "data field 'x': its initial value 'total / people'" in message
    assert engine.trace(waiting) == ["s"]  # still waiting: it did not take the signal
    assert [i.process_id for i in engine.instances()] == ["drill"]


def test_the_signal_s_data_giving_the_field_starts_them_all() -> None:
    engine = Engine(clock=VirtualClock())
    engine.deploy(_package())
    waiting = engine.start_process("drill")
    assert engine.broadcast_signal("sig", {"x": 2}) == 3
    assert engine.trace(waiting) == ["s", "wait"]  # (log is open now)
    started = {i.process_id: i for i in engine.instances() if i.id != waiting}
    assert sorted(started) == ["a_bad", "b_good"]
    assert started["a_bad"].data["x"] == 2
