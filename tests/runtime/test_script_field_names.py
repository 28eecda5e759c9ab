"""A script or an XPDL 2.x ``Assignment`` may name a data field by its ``Name`` where the
package keys its fields by generated ids (TIBCO writes ``_uT`` and scripts ``Total = ...``):
the Name writes that field, as it reads it in an expression. Before, the assignment wrote a
new undeclared variable ``Total``, the field stayed None and the next condition on ``Total``
failed."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, ProcessBuilder, ProcessState
from wfengine.definition.model import Activity, XmlNode
from wfengine.definition.namespaces import XPDL22_NS

X = "{" + XPDL22_NS + "}"


def _keyed_by_ids(pb: PackageBuilder) -> ProcessBuilder:
    p = pb.process("main")
    p.data_field("_uP", "FLOAT", name="Price", initial="2.5")
    p.data_field("_uQ", "INTEGER", name="Qty", initial="4")
    p.data_field("_uT", "FLOAT", name="Total")
    return p


def test_a_script_writes_the_field_its_name_stands_for() -> None:
    pb = PackageBuilder("pkg", script="text/javascript")
    p = _keyed_by_ids(pb)
    p.activity("calc", script="Total = Price * Qty; var Qty = Qty + 1;").route("r")
    p.activity("big").activity("small").transition("calc", "r")
    p.transition("r", "big", condition="Total > 5").transition("r", "small", otherwise=True)
    with Engine() as engine:
        engine.deploy(pb.build())
        iid = engine.start_process("main")
        inst = engine.instance(iid)
        assert inst.state is ProcessState.COMPLETED, engine.incidents(iid)
        assert dict(inst.data) == {"_uP": 2.5, "_uQ": 5, "_uT": 10.0}
        assert engine.trace(iid) == ["calc", "r", "big"]


def _assignment(target: str, expression: str) -> XmlNode:
    return XmlNode(
        tag=X + "Assignments",
        children=(
            XmlNode(
                tag=X + "Assignment",
                attrs=(("AssignTime", "Start"),),
                children=(
                    XmlNode(
                        tag=X + "Target", children=(XmlNode(tag=X + "Expression", text=target),)
                    ),
                    XmlNode(tag=X + "Expression", text=expression),
                ),
            ),
        ),
    )


def test_an_assignment_target_writes_the_field_its_name_stands_for() -> None:
    pb = PackageBuilder("pkg")
    p = _keyed_by_ids(pb)
    p.add_activity(Activity(id="calc", extras=(_assignment("Total", "Price * 2"),)))
    with Engine() as engine:
        engine.deploy(pb.build())
        iid = engine.start_process("main")
        inst = engine.instance(iid)
        assert inst.state is ProcessState.COMPLETED
        assert dict(inst.data) == {"_uP": 2.5, "_uQ": 4, "_uT": 5.0}
