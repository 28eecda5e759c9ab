"""Starting an instance that is not ``open.not_running.not_started`` is refused, nothing changed.

A suspended instance once passed ``start``'s check (the state table lets suspended go to
running, for resume), and ``start`` then ran its start anew: its start activities were readied
a second time beside the work it had, and a synchronous subflow got a second child while the
first stayed suspended for ever. ``resume`` is what continues a suspended instance.
"""

from __future__ import annotations

import pytest

import wfengine
from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import IllegalStateError
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState

REFUSED = (
    "cannot start process instance '{}': it is open.not_running.suspended; nothing was changed"
)


def _two_steps() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("a", performer="clerk").activity("b", performer="clerk").transition("a", "b")
    p2 = pb.process("parent")
    p2.subflow("call", process="kid")
    pb.process("kid").activity("work", performer="clerk")
    return pb


def _open_items(engine: Engine, iid: str) -> list[str]:
    return [w.activity_id for w in engine.work_items(iid) if w.state.is_open]


def test_starting_a_suspended_instance_is_refused_and_changes_nothing(engine: Engine) -> None:
    iid = run(engine, _two_steps())
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    engine.suspend(iid)
    trail = len(engine.audit(iid))
    with pytest.raises(IllegalStateError) as refused:
        engine.start(iid)
    assert str(refused.value) == REFUSED.format(iid)
    assert engine.instance(iid).state is ProcessState.SUSPENDED
    assert _open_items(engine, iid) == ["b"]
    assert len(engine.activity_instances(iid)) == 2
    assert len(engine.audit(iid)) == trail
    engine.resume(iid)  # resume is what continues it
    assert engine.instance(iid).state is ProcessState.RUNNING
    assert _open_items(engine, iid) == ["b"]


def test_starting_a_running_instance_is_refused(engine: Engine) -> None:
    iid = run(engine, _two_steps())
    with pytest.raises(IllegalStateError) as refused:
        engine.start(iid)
    assert str(refused.value).endswith("it is open.running; nothing was changed")
    assert _open_items(engine, iid) == ["a"]


def test_wapi_start_process_of_a_suspended_caller_makes_no_second_child(engine: Engine) -> None:
    engine.deploy(_two_steps().build())
    pid = engine.start_process("parent")
    engine.suspend(pid)
    session = wfengine.connect(engine, "admin")
    with pytest.raises(IllegalStateError) as refused:
        session.start_process(pid)
    assert str(refused.value) == REFUSED.format(pid)
    children = [i for i in engine.instances(process_id="kid") if i.parent_instance_id == pid]
    assert [c.state for c in children] == [ProcessState.SUSPENDED]
    assert engine.instance(pid).state is ProcessState.SUSPENDED
    session.change_process_instance_state(pid, ProcessState.RUNNING)  # resumes it
    assert [c.state for c in engine.instances(process_id="kid")] == [ProcessState.RUNNING]
