"""``change_process_instance_state`` takes the states docs/wapi.md names (running, suspended,
terminated, aborted) as well as their full WfMC names, as ``change_work_item_state`` takes
its short ones: a session moves the instance either way, recorded as the session user's."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.wapi import connect


def _ticket(engine: Engine) -> None:
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.start("s").activity("answer", performer="clerk").end("e").sequence("s", "answer", "e")
    engine.deploy(pb.build())


@pytest.mark.parametrize(
    ("running", "suspended"),
    [("running", "suspended"), ("open.running", "open.not_running.suspended")],
)
def test_start_suspend_and_resume_by_either_name(
    engine: Engine, running: str, suspended: str
) -> None:
    _ticket(engine)
    session = connect(engine, "clerk")
    instance_id = session.create_process_instance("ticket")
    session.change_process_instance_state(instance_id, running)  # starts it
    assert engine.instance(instance_id).state is ProcessState.RUNNING
    assert [w.activity_id for w in engine.work_items(instance_id)] == ["answer"]
    session.change_process_instance_state(instance_id, suspended)
    assert engine.instance(instance_id).state is ProcessState.SUSPENDED
    session.change_process_instance_state(instance_id, running)  # resumes it
    assert engine.instance(instance_id).state is ProcessState.RUNNING


@pytest.mark.parametrize(
    ("state", "closed"),
    [
        ("terminated", ProcessState.TERMINATED),
        ("aborted", ProcessState.ABORTED),
        ("closed.terminated", ProcessState.TERMINATED),
        ("closed.aborted", ProcessState.ABORTED),
        (ProcessState.ABORTED, ProcessState.ABORTED),
    ],
)
def test_close_by_either_name(
    engine: Engine, state: str | ProcessState, closed: ProcessState
) -> None:
    _ticket(engine)
    session = connect(engine, "clerk")
    instance_id = session.create_process_instance("ticket")
    session.start_process(instance_id)
    session.change_process_instance_state(instance_id, state)
    assert engine.instance(instance_id).state is closed
    mine = engine.audit_events(instance_id=instance_id, user="clerk")
    assert [e.kind for e in mine][-1] == "instance.state"  # recorded as the session user's


def test_completed_is_still_refused_by_its_short_name(engine: Engine) -> None:
    _ticket(engine)
    session = connect(engine, "clerk")
    instance_id = session.create_process_instance("ticket")
    with pytest.raises(ValueError, match=r"state must be one of running, suspended, "):
        session.change_process_instance_state(instance_id, "completed")
    assert engine.instance(instance_id).state is ProcessState.NOT_STARTED
