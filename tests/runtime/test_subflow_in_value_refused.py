"""A value a subflow passes that its formal parameter does not take is an incident naming the
formal and the caller's actual that gave it.

It said "a new instance of process 'child': data field 'qty': expected INTEGER, ...", as for
a starter's data: no word that 'qty' is a formal parameter, nor of which of the caller's
actuals ('amount') the value came from (a value returned that the caller's field refuses names
both). A caller's secret passed in stays unshown.
"""

from __future__ import annotations

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState

PIN = "s3cr3t-PIN-9876"


def _package(*, secret: bool = False) -> Package:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    m = pb.process("main")
    marks = {"wfengine:sensitive": "true"} if secret else None
    m.data_field("amount", "STRING", initial=f"'{PIN}'" if secret else "'1.5'", extended=marks)
    m.subflow("call", process="child", args=["amount"]).activity("end")
    m.transition("call", "end")
    pb.process("child", params=[("qty", "IN", "INTEGER")]).activity("w", performer="clerk")
    return pb.build()


def test_the_refused_value_names_the_formal_and_the_callers_actual(engine: Engine) -> None:
    engine.deploy(_package())
    iid = engine.start_process("main")
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "call"
    assert incident.message.startswith(
        f"instance {iid!r}, activity 'call': the subflow passes 'amount' for the IN parameter "
        "'qty' of process 'child' version 1, which does not take its value: expected INTEGER"
    )
    assert incident.message.endswith("nothing was started")
    assert engine.instances(process_id="child") == []
    # mended, the retry calls it
    engine.set_data(iid, {"amount": "2"})
    engine.retry_incident(incident.id)
    [child] = engine.instances(process_id="child")
    assert child.data["qty"] == 2
    assert engine.instance(iid).state is ProcessState.RUNNING


def test_a_secret_the_formal_refuses_is_not_shown(engine: Engine) -> None:
    engine.deploy(_package(secret=True))
    iid = engine.start_process("main")
    [incident] = engine.incidents(iid)
    assert "passes 'amount' for the IN parameter 'qty'" in incident.message
    assert "not shown: sensitive" in incident.message
    assert PIN not in incident.message
