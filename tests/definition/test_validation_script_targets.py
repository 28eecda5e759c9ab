"""A script or XPDL 2.x ``Assignment`` that assigns to a name no data field, formal parameter
or field Name stands for (a typo: ``totl = price * qty``) gets the warning
``undefined-data-field``, as an OUT actual, an InstanceDataField or a loop counter naming no
field does: the declared field stays unset and the instance gets undeclared data. It
validated clean before."""

from __future__ import annotations

from wfengine import PackageBuilder, validate
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Activity, Package, XmlNode
from wfengine.definition.namespaces import XPDL22_NS

X = "{" + XPDL22_NS + "}"


def _package(script: str | None = None, target: str | None = None) -> Package:
    pb = PackageBuilder("p", script="text/javascript")
    p = pb.process("x")
    p.data_field("total", "FLOAT").data_field("price", "FLOAT", initial="2.5")
    p.data_field("_uQ", "INTEGER", name="Qty", initial="4")
    p.start("s")
    if script is not None:
        p.activity("calc", script=script)
    else:
        rows = (
            XmlNode(
                tag=X + "Assignment",
                children=(
                    XmlNode(
                        tag=X + "Target", children=(XmlNode(tag=X + "Expression", text=target),)
                    ),
                    XmlNode(tag=X + "Expression", text="price * 2"),
                ),
            ),
        )
        p.add_activity(Activity(id="calc", extras=(XmlNode(tag=X + "Assignments", children=rows),)))
    p.end("e").sequence("s", "calc", "e")
    return pb.build()


def test_a_script_target_no_field_stands_for_is_a_warning_once() -> None:
    [finding] = validate(_package("totl = price * Qty; totl = totl + 1 // total = 0"))
    assert (finding.severity, finding.code, finding.element_id) == (
        Severity.WARNING,
        "undefined-data-field",
        "calc",
    )
    assert "assigns to 'totl' in its script" in finding.message


def test_an_assignment_target_no_field_stands_for_is_a_warning() -> None:
    [finding] = validate(_package(target="totl"))
    assert (finding.severity, finding.code) == (Severity.WARNING, "undefined-data-field")
    assert "assigns to 'totl' in its assignment 1" in finding.message


def test_fields_by_id_or_by_name_are_no_finding() -> None:
    assert validate(_package("total = price * Qty; Qty = Qty + 1; _uQ = 0")) == []
    assert validate(_package(target="Qty")) == []
