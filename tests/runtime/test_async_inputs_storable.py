"""The inputs of an asynchronous call are stored with its ``invoke`` job: one that no store can
hold fails the call where the job is made (an incident on the activity, on every store alike),
not the commit of the command that reached it."""

from __future__ import annotations

from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def test_an_asynchronous_call_whose_inputs_cannot_be_stored_is_an_incident(
    engine: Engine,
) -> None:
    engine.applications = ApplicationRegistry()
    engine.applications.register("work", lambda v: None, asynchronous=True)
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.application("work", params=[("v", "IN", "REFERENCE")])  # (passed as it is)
    p.activity("call", tool="work", args=["{1: 2}"]).activity("end").transition("call", "end")
    engine.deploy(pb.build(), check_bindings=False)
    iid = engine.start_process("main")  # on a database, this commit raised
    assert engine.instance(iid).state is ProcessState.RUNNING
    (incident,) = engine.incidents(iid)
    assert incident.activity_id == "call" and incident.application_id == "work"
    assert (
        "asynchronous call of 'work'" in incident.message
        and "a dict key must be a str, not int 1" in incident.message
    )
    assert engine.jobs(iid) == []  # no job made


def test_an_asynchronous_call_with_storable_inputs_still_waits_for_its_job(
    engine: Engine,
) -> None:
    engine.applications = ApplicationRegistry()
    engine.applications.register("work", lambda v: None, asynchronous=True)
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.application("work", params=[("v", "IN", "REFERENCE")])
    p.activity("call", tool="work", args=['{"a": [1, 2]}']).activity("end")
    p.transition("call", "end")
    engine.deploy(pb.build(), check_bindings=False)
    iid = engine.start_process("main")
    assert [j.kind for j in engine.jobs(iid)] == ["invoke"] and engine.incidents(iid) == []
    engine.run_due_jobs()
    assert engine.instance(iid).state is ProcessState.COMPLETED
