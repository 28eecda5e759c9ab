"""Process control through a WAPI session is recorded as the session's user (TC-1015: every
audit record says which user or system), and a state change records the state it left."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.runtime.history import (
    InstanceCreated,
    InstanceDataAssigned,
    InstanceStateChanged,
    Payload,
    read_payload,
)
from wfengine.runtime.store import header_ids
from wfengine.wapi import connect


@pytest.fixture(params=["memory", "sqlite"])
def desk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=VirtualClock(), db_url=url) as engine:
        pb = PackageBuilder("pkg")
        pb.participant("clerk")
        child = pb.process("child")
        child.activity("check", performer="clerk")
        p = pb.process("main")
        p.data_field("amount", "INTEGER", initial="1")
        p.subflow("sub", process="child").activity("done").transition("sub", "done")
        engine.deploy(pb.build())
        yield engine


def _states(engine: Engine, instance_id: str) -> list[tuple[str | None, str, str | None]]:
    """(previous, state, user) of each ``instance.state`` event of the instance."""
    found = []
    for event in engine.audit(instance_id):
        if event.kind == "instance.state":
            payload = event.payload
            assert isinstance(payload, InstanceStateChanged)
            assert event.user == payload.user
            found.append((payload.previous, payload.state, payload.user))
    return found


def test_process_control_through_a_session_is_recorded_as_its_user(desk: Engine) -> None:
    with connect(desk, "mallory") as session:
        iid = session.create_process_instance("main")
        session.start_process(iid)
        session.change_process_instance_state(iid, "open.not_running.suspended")
        session.change_process_instance_state(iid, "open.running")
        session.assign_process_instance_attribute(iid, "amount", 999)
        session.terminate_process_instance(iid)
    assert _states(desk, iid) == [
        ("open.not_running.not_started", "open.running", "mallory"),
        ("open.running", "open.not_running.suspended", "mallory"),
        ("open.not_running.suspended", "open.running", "mallory"),
        ("open.running", "closed.terminated", "mallory"),
    ]
    [created] = [e for e in desk.audit(iid) if e.kind == "instance.created"]
    assert created.user == "mallory" and created.payload == InstanceCreated(1, None, "mallory")
    [assigned] = [e for e in desk.audit(iid) if e.kind == "instance.data"]
    assert assigned.user == "mallory"
    assert assigned.payload == InstanceDataAssigned(("amount",), {"amount": (1, 999)}, "mallory")
    mine = desk.audit_events(user="mallory", instance_id=iid)
    assert [e.kind for e in mine] == [
        "instance.created",
        *["instance.state"] * 3,
        "instance.data",
        "instance.state",
    ]
    # the synchronous subflow paused and went on with its parent: by the same request
    [child] = [s.id for s in desk.instance_summaries(process_id="child")]
    assert _states(desk, child)[1:3] == [
        ("open.running", "open.not_running.suspended", "mallory"),
        ("open.not_running.suspended", "open.running", "mallory"),
    ]


def test_abort_through_a_session_is_recorded_as_its_user(desk: Engine) -> None:
    iid = desk.start_process("main")
    connect(desk, "root").change_process_instance_state(iid, "closed.aborted")
    assert _states(desk, iid)[-1] == ("open.running", "closed.aborted", "root")


def test_the_hosts_own_commands_record_the_state_left_and_no_user(desk: Engine) -> None:
    iid = desk.start_process("main")
    desk.suspend(iid)
    desk.terminate(iid)
    assert _states(desk, iid) == [
        ("open.not_running.not_started", "open.running", None),
        ("open.running", "open.not_running.suspended", None),
        ("open.not_running.suspended", "closed.terminated", None),
    ]
    assert desk.audit_events(user="mallory") == []


@pytest.mark.parametrize(
    ("kind", "stored", "payload"),
    [
        # as events were stored before users and previous states were recorded
        ("instance.state", "open.running", InstanceStateChanged("open.running")),
        ("instance.created", {"version": 2}, InstanceCreated(2)),
        ("instance.data", ["amount"], InstanceDataAssigned(("amount",))),
        (
            "instance.data",
            {"fields": ["amount"], "values": {"amount": [1, 2]}},
            InstanceDataAssigned(("amount",), {"amount": (1, 2)}),
        ),
        # as they are stored now
        (
            "instance.state",
            {"state": "closed.aborted", "previous": "open.running", "user": "ann"},
            InstanceStateChanged("closed.aborted", "open.running", "ann"),
        ),
        (
            "instance.state",
            {"state": "open.running", "previous": "open.not_running.suspended", "user": None},
            InstanceStateChanged("open.running", "open.not_running.suspended"),
        ),
        ("instance.created", {"version": 2, "user": "ann"}, InstanceCreated(2, None, "ann")),
        (
            "instance.data",
            {"fields": ["amount"], "values": {"amount": [1, 2]}, "user": "ann"},
            InstanceDataAssigned(("amount",), {"amount": (1, 2)}, "ann"),
        ),
    ],
)
def test_instance_events_of_either_shape_read_back(
    kind: str, stored: object, payload: Payload
) -> None:
    assert read_payload(kind, stored) == payload
    assert payload.detail() == stored
    user = stored.get("user") if isinstance(stored, dict) else None
    assert header_ids(stored) == (user, None)
