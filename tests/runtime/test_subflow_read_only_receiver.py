"""A subflow's result never overwrites a ReadOnly data field of its caller.

Deploy refuses an OUT or INOUT actual into a ReadOnly field for the called process it sees
then; the caller starts the called process's newest version, and a version deployed later
that made the formal INOUT overwrote the caller's constant with no word. Now the call stops
before the child starts, with an incident on the subflow activity naming the field, the formal
and the version; a call already running when its result comes back writes nothing either.

The called process here is another package's (``package_ref``), whose Modes the caller does
not keep: one of the caller's own package whose formal changed Mode is refused as that first
(tests/runtime/test_subflow_positional_modes.py).
"""

from __future__ import annotations

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.runtime.engine import Engine
from wfengine.runtime.navigation import subflows
from wfengine.runtime.states import ProcessState


def _library(mode: str, *, waits: bool = False) -> Package:
    """Package ``lib`` whose ``child`` takes ``x`` of ``mode``."""
    pb = PackageBuilder("lib")
    pb.participant("clerk")
    c = pb.process("child", params=[("x", mode, "INTEGER")])
    c.activity("s", script="x = 999" if mode != "IN" else "")
    if waits:
        c.activity("w", performer="clerk").transition("s", "w")
    return pb.build()


def _deploy_caller(engine: Engine) -> None:
    """``lib`` with ``child``'s ``x`` IN, and package ``pkg`` whose ``main`` passes its
    constant to it."""
    engine.deploy(_library("IN"))
    pb = PackageBuilder("pkg")
    m = pb.process("main")
    m.data_field("const", "INTEGER", initial="7", read_only=True)
    m.subflow("call", process="child", package_ref="lib", args=["const"]).activity("end")
    m.transition("call", "end")
    engine.deploy(pb.build())


def test_a_newer_called_version_writing_a_read_only_field_is_an_incident_before_the_call(
    engine: Engine,
) -> None:
    _deploy_caller(engine)
    engine.deploy(_library("INOUT"))
    iid = engine.start_process("main")
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "call"
    assert (
        "passes 'const' for the INOUT parameter 'x' of process 'child' version 2, but data "
        "field 'const' is declared ReadOnly in process 'main'"
    ) in incident.message
    assert incident.message.endswith("nothing was started")
    assert engine.instances(process_id="child") == []
    assert dict(engine.instance(iid).data) == {"const": 7}
    # the called process mended: the retry calls it, and the constant stays
    engine.deploy(_library("IN"))
    engine.retry_incident(incident.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert dict(engine.instance(iid).data) == {"const": 7}


def test_a_running_call_writes_nothing_into_a_read_only_field(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A call started before its receivers were checked (by an earlier wfengine): its result
    is refused as it comes back, and nothing is written."""
    _deploy_caller(engine)
    engine.deploy(_library("INOUT", waits=True))
    with monkeypatch.context() as m:
        m.setattr(subflows, "_unfit_receiver", lambda *_: None)
        iid = engine.start_process("main")
    [item] = engine.work_items()
    engine.complete_work_item(item.id)
    [incident] = engine.incidents(iid)
    assert "declared ReadOnly in process 'main'" in incident.message
    assert "nothing was written" in incident.message
    assert dict(engine.instance(iid).data) == {"const": 7}
    engine.skip_incident(incident.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert dict(engine.instance(iid).data) == {"const": 7}
