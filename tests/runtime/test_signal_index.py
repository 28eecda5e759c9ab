"""A broadcast looks at what every stored version of every process takes of signals through
an index made once per version (``navigation.signal_waiters.signal_index``): it walked every
activity, attached event and event sub-process of every version on every broadcast (400
processes on SQLite: most of a broadcast's time). Two programs' versions of one process and
number, of different content, each keep their own."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.definition.model import Activity, Event, EventPosition, XmlNode
from wfengine.runtime.compiled import CompiledProcess
from wfengine.runtime.navigation import signal_waiters as waiters

XPDL = "{http://www.wfmc.org/2008/XPDL2.1}"


def _listening(name: str, plain: int = 0, performer: str = "clerk") -> PackageBuilder:
    """``main``: a person's step, then a catch of signal ``name``; and ``plain`` processes
    that take no signal; ``performer`` does their steps."""
    trigger = XmlNode(tag=XPDL + "TriggerResultSignal", attrs=(("Name", name),))
    catch = Event(position=EventPosition.INTERMEDIATE, trigger="Signal", detail=(trigger,))
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("first", performer=performer)
    p.add_activity(Activity(id="wait", body=catch)).activity("after")
    p.transition("first", "wait").transition("wait", "after")
    for k in range(plain):
        pb.process(f"p{k}").activity("w", performer=performer)
    return pb


def _waiting(engine: Engine) -> str:
    iid = engine.start_process("main")
    (item,) = engine.work_items(iid)
    engine.complete_work_item(item.id)
    return iid


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each process's activities were walked for what they take of signals."""
    counted: Counter[str] = Counter()
    original = waiters.index_signals

    def counting(compiled: CompiledProcess) -> Any:
        counted[compiled.process_id] += 1
        return original(compiled)

    monkeypatch.setattr(waiters, "index_signals", counting)
    monkeypatch.setattr(waiters, "_INDEXES", {})
    return counted


def test_each_version_is_walked_once_for_all_broadcasts(walks: Counter[str]) -> None:
    with Engine(clock=VirtualClock()) as engine:
        engine.deploy(_listening("go", plain=3).build())
        iid = _waiting(engine)
        for _ in range(3):
            assert engine.broadcast_signal("nobody") == 0
        assert walks == {"main": 1, "p0": 1, "p1": 1, "p2": 1}
        engine.deploy(_listening("go", plain=3, performer="clerk").build())
        assert walks == {"main": 1, "p0": 1, "p1": 1, "p2": 1}  # (the same: no new version)
        engine.deploy(_listening("go", plain=3, performer="boss").build())  # a version 2
        assert engine.broadcast_signal("go") == 1
        assert engine.broadcast_signal("go") == 0
        assert walks == {"main": 2, "p0": 2, "p1": 2, "p2": 2}
        assert engine.trace(iid) == ["first", "wait", "after"]


def test_two_programs_versions_of_one_number_keep_their_own_index(walks: Counter[str]) -> None:
    with Engine(clock=VirtualClock()) as first, Engine(clock=VirtualClock()) as second:
        first.deploy(_listening("go").build())
        second.deploy(_listening("stop").build())  # main version 1 too, waiting for "stop"
        _waiting(first)
        waiting = _waiting(second)
        assert first.broadcast_signal("stop") == 0
        assert second.broadcast_signal("stop") == 1
        assert second.trace(waiting) == ["first", "wait", "after"]
