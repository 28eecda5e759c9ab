"""A synchronous subflow whose called instance an operator terminates or aborts throws the
error ``SubflowFailed`` at the calling activity; the incident when nothing catches it names
that code (it said only "subflow instance 'pi-2' ended closed.aborted", so a modeller could
not tell what an EXCEPTION transition or an Error event should catch). A called instance
closed by its caller's closing throws nothing."""

from __future__ import annotations

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ActivityState, ProcessState


def _package(*, caught: bool) -> Package:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    m = pb.process("main")
    m.subflow("call", process="child").activity("end").activity("handle", performer="clerk")
    m.transition("call", "end")
    if caught:
        m.transition("call", "handle", exception="SubflowFailed")
    pb.process("child").activity("w", performer="clerk")
    return pb.build()


def _child(engine: Engine, iid: str) -> str:
    [child] = [i.id for i in engine.instances() if i.parent_instance_id == iid]
    return child


@pytest.mark.parametrize("verb", ["terminate", "abort"])
def test_an_uncaught_end_names_the_error_code(engine: Engine, verb: str) -> None:
    engine.deploy(_package(caught=False))
    iid = engine.start_process("main")
    child = _child(engine, iid)
    getattr(engine, verb)(child)
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "call"
    assert (
        f"subflow instance {child!r} of process 'child' ended {engine.instance(child).state.value}"
        ": error 'SubflowFailed'"
    ) in incident.message
    engine.retry_incident(incident.id)  # the subflow starts again
    assert len([i for i in engine.instances() if i.parent_instance_id == iid]) == 2


def test_an_exception_transition_naming_the_code_catches_it(engine: Engine) -> None:
    engine.deploy(_package(caught=True))
    iid = engine.start_process("main")
    engine.terminate(_child(engine, iid))
    assert engine.incidents(iid) == []
    states = {a.activity_id: a.state for a in engine.activity_instances(iid)}
    assert states["call"] is ActivityState.ABORTED
    assert states["handle"].is_open


def test_the_callers_closing_throws_nothing(engine: Engine) -> None:
    engine.deploy(_package(caught=True))
    iid = engine.start_process("main")
    child = _child(engine, iid)
    engine.terminate(iid)
    assert engine.instance(child).state is ProcessState.TERMINATED
    assert engine.incidents() == []
    assert "handle" not in {a.activity_id for a in engine.activity_instances(iid)}
