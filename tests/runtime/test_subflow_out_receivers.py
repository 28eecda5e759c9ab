"""What receives a synchronous subflow's OUT and INOUT values: a variable of the caller.

Deploy checks that only for a called process of the same package; one in another package
(``package_ref``) whose OUT actual was an expression (``out + 1``) or an undeclared name had
its value written to a "field" named by that text, with no incident. Now the call stops
before it starts, with an incident on the subflow activity naming the actual and the formal.
A field's Name that stands for it (an alias, which validation accepts) receives into the
field it names, not into a new one of that name.
"""

from __future__ import annotations

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _library() -> Package:
    pb = PackageBuilder("lib")
    c = pb.process("double", params=[("i", "IN", "INTEGER"), ("o", "OUT", "INTEGER")])
    c.activity("fin", script="o = i * 2")
    pb.process("bump", params=[("x", "INOUT", "INTEGER")]).activity("fin", script="x = x + 1")
    return pb.build()


def _caller(process: str, args: list[str]) -> Package:
    pb = PackageBuilder("app")
    p = pb.process("main")
    p.data_field("v", "INTEGER", initial="4").data_field("out", "INTEGER")
    p.subflow("call", process=process, package_ref="lib", args=args)
    return pb.build()


@pytest.mark.parametrize(
    ("process", "args", "actual", "formal"),
    [
        ("double", ["v", "out + 1"], "out + 1", "OUT parameter 'o'"),
        ("double", ["v", "nowhere"], "nowhere", "OUT parameter 'o'"),
        ("bump", ["v * 1"], "v * 1", "INOUT parameter 'x'"),
    ],
)
def test_an_out_actual_that_names_no_variable_is_an_incident_before_the_call(
    engine: Engine, process: str, args: list[str], actual: str, formal: str
) -> None:
    engine.deploy(_library())
    engine.deploy(_caller(process, args))
    iid = engine.start_process("main")
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "call"
    assert f"passes {actual!r} for the {formal} of process {process!r}" in incident.message
    assert incident.message.endswith("nothing was started")
    assert engine.instances(process_id=process) == []
    assert dict(engine.instance(iid).data) == {"v": 4, "out": None}
    assert engine.instance(iid).state is ProcessState.RUNNING


def test_out_and_inout_actuals_that_name_variables_receive_the_values(engine: Engine) -> None:
    engine.deploy(_library())
    engine.deploy(_caller("double", ["v", "out"]))
    iid = engine.start_process("main")
    assert engine.incidents(iid) == []
    assert dict(engine.instance(iid).data) == {"v": 4, "out": 8}
    engine.deploy(_caller("bump", ["v"]))
    iid = engine.start_process("main")
    assert dict(engine.instance(iid).data) == {"v": 5, "out": None}


def test_a_name_that_stands_for_a_field_receives_into_that_field(engine: Engine) -> None:
    pb = PackageBuilder("app")
    p = pb.process("main")
    p.data_field("v", "INTEGER", initial="4").data_field("out_id", "INTEGER", name="result")
    p.subflow("call", process="double", args=["v", "result"])
    c = pb.process("double", params=[("i", "IN", "INTEGER"), ("o", "OUT", "INTEGER")])
    c.activity("fin", script="o = i * 2")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert dict(engine.instance(iid).data) == {"v": 4, "out_id": 8}
