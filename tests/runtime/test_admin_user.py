"""The operator's commands take who asked (``user=``) and name them in the audit trail as
suspend and terminate do: on the ``instance.state`` events they write (an instance aborted
over an incident, the synchronous subflows a cancelled activity closes), and on each event of
theirs whose payload carries a user (:mod:`wfengine.runtime.acted_by`). WfMC's audit data
names on every record the user or system that caused it; ``AuditEvent.user`` (the SQL store's
``user_id`` column, what ``wfengine audit --user`` filters on) reads it. Without a user the
trail is exactly what it was."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from tests.runtime.failing_call import crm_down, lookup_package
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.runtime.engine import Engine
from wfengine.runtime.history import InstanceStateChanged
from wfengine.runtime.states import ProcessState

OPS = "ops-anna"


def _open(engine: Engine, iid: str, activity_id: str) -> str:
    return next(
        a.id
        for a in engine.activity_instances(iid)
        if a.activity_id == activity_id and a.state.is_open
    )


@pytest.mark.parametrize("user", [OPS, None])
def test_cancelling_a_subflow_activity_names_who_asked_on_the_subflow_it_closed(
    engine: Engine, user: str | None
) -> None:
    pb = PackageBuilder("pkg")
    pb.process("child").activity("work", performer="clerk")
    pb.process("main").subflow("call", process="child")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    [child] = [s.id for s in engine.instance_summaries() if s.process_id == "child"]
    engine.cancel_activity(iid, _open(engine, iid, "call"), user=user)
    assert engine.instance(child).state is ProcessState.ABORTED
    closed = [e for e in engine.audit(child) if e.kind == "instance.state"][-1]
    assert closed.payload == InstanceStateChanged("closed.aborted", "open.running", user, iid)
    assert closed.user == user
    by_ops = engine.audit_events(instance_id=child, user=OPS)
    assert [e.kind for e in by_ops if e.kind == "instance.state"] == (
        ["instance.state"] if user else []
    )


def test_cancel_without_a_user_records_what_it_did_before(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("only", performer="clerk")
    iid = run(engine, pb)
    [item] = engine.work_items(iid)
    engine.cancel_activity(iid, _open(engine, iid, "only"))
    [aborted] = [e for e in engine.audit(iid) if e.kind == "activity.aborted"]
    [withdrawn] = [e for e in engine.audit(iid) if e.kind == "work_item.cancelled"]
    assert (aborted.detail, withdrawn.detail) == (None, {"work_item": item.id})
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_the_completion_a_cancel_leads_to_is_the_engines(engine: Engine) -> None:
    # the last branch cancelled: the instance completes, as the engine's own doing (no user)
    pb = PackageBuilder("pkg")
    pb.process("main").activity("only", performer="clerk")
    iid = run(engine, pb)
    engine.cancel_activity(iid, _open(engine, iid, "only"), user=OPS)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    completed = [e for e in engine.audit(iid) if e.kind == "instance.state"][-1]
    assert completed.payload == InstanceStateChanged("closed.completed", "open.running")
    assert completed.user is None


@pytest.mark.parametrize("user", [OPS, None])
def test_abort_incident_names_who_gave_up(engine: Engine, user: str | None) -> None:
    engine.applications.register("lookup", crm_down)
    iid = run(engine, lookup_package())
    [incident] = engine.incidents()
    engine.abort_incident(incident.id, user=user)
    assert engine.instance(iid).state is ProcessState.ABORTED
    closed = [e for e in engine.audit(iid) if e.kind == "instance.state"][-1]
    assert closed.payload == InstanceStateChanged("closed.aborted", "open.running", user)
    assert closed.user == user
    assert [e.kind for e in engine.audit_events(instance_id=iid, user=OPS)][-1:] == (
        ["instance.state"] if user else []
    )


@pytest.mark.parametrize("user", [OPS, None])
def test_skip_retry_and_adding_an_instance_take_a_user(engine: Engine, user: str | None) -> None:
    """They take ``user=`` (keyword-only) and do what they did; without it their events are
    stored as before."""
    answers = iter([ConnectionError("CRM down"), {"name": "Ada"}, ConnectionError("down")])

    def flaky(id: int) -> dict[str, str]:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    engine.applications.register("lookup", flaky)
    first = run(engine, lookup_package())
    [incident] = engine.incidents()
    engine.retry_incident(incident.id, user=user)
    assert engine.instance(first).data["name"] == "Ada"
    second = engine.start_process("main")
    [incident] = engine.incidents()
    engine.skip_incident(incident.id, {"name": "by hand"}, user=user)
    assert engine.instance(second).state is ProcessState.COMPLETED
    pb = PackageBuilder("pkg2")
    pb.process("multi").activity("m", performer="clerk", loop=multi_instance("2"))
    engine.deploy(pb.build())
    third = engine.start_process("multi")
    container = next(a.id for a in engine.activity_instances(third) if a.mi_index is None)
    assert engine.add_mi_instance(container, user=user) is not None
    assert len(engine.work_items(third)) == 3
    if user is None:
        details = {
            e.kind: e.detail
            for iid in (first, second, third)
            for e in engine.audit(iid)
            if e.kind in ("incident.retried", "incident.skipped", "activity.mi_added")
        }
        assert details == {
            "incident.retried": engine.audit_events(kind="incident.retried")[0].detail,
            "incident.skipped": {"incident": incident.id, "outputs": {"name": "by hand"}},
            "activity.mi_added": {"instances": 3, "fields": []},
        }
        assert isinstance(details["incident.retried"], str)  # the bare incident id
