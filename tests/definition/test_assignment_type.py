"""An assignment of a constant its target can never hold (``"abc"`` into an INTEGER field)
is an ``assignment-type`` warning, judged as a constant initial value is. Before, it validated
clean and every instance reaching the activity stopped with an incident."""

from __future__ import annotations

import pytest

from wfengine import PackageBuilder, load_xpdl
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import Package
from wfengine.definition.validation import validate

_DOC = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="pk" Name="pk">
<PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2024-01-01</Created>
</PackageHeader>
<WorkflowProcesses><WorkflowProcess Id="P" Name="P"><ProcessHeader/>
<DataFields><DataField Id="x"><DataType><BasicType Type="{kind}"/></DataType></DataField>
</DataFields>
<Activities><Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
<Activity Id="a"><Implementation><No/></Implementation><Assignments>
<Assignment AssignTime="Start"><Target>x</Target><Expression>{value}</Expression></Assignment>
</Assignments></Activity>
<Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity></Activities>
<Transitions><Transition Id="t1" From="s" To="a"/><Transition Id="t2" From="a" To="e"/>
</Transitions></WorkflowProcess></WorkflowProcesses></Package>
"""


def _found(package: Package) -> list[Diagnostic]:
    return [d for d in validate(package) if d.code == "assignment-type"]


def _assigned(kind: str, value: str) -> Package:
    return load_xpdl(_DOC.format(kind=kind, value=value).encode(), schema=False)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("INTEGER", '"abc"'),
        ("INTEGER", "2.5"),
        ("INTEGER", "true"),
        ("FLOAT", '"abc"'),
        ("BOOLEAN", '"maybe"'),
        ("BOOLEAN", "1"),
        ("STRING", "true"),
        ("STRING", "[1, 2]"),
    ],
)
def test_a_constant_the_target_cannot_hold_is_a_warning(kind: str, value: str) -> None:
    found = _found(_assigned(kind, value))
    assert [(d.severity, d.element_id) for d in found] == [(Severity.WARNING, "a")]
    assert kind in found[0].message and "'x'" in found[0].message


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("INTEGER", "7"),
        ("INTEGER", '"7"'),  # converted, as the engine does
        ("INTEGER", "3.0"),
        ("FLOAT", "2"),
        ("FLOAT", '"2.5"'),
        ("BOOLEAN", '"true"'),
        ("STRING", "7"),
        ("INTEGER", "x + 1"),  # not a constant
        ("DATE", '"abc"'),  # not judged here
    ],
)
def test_a_constant_the_target_takes_or_converts_is_fine(kind: str, value: str) -> None:
    assert _found(_assigned(kind, value)) == []


def test_a_script_tasks_assignment_is_judged_too() -> None:
    b = PackageBuilder("p")
    p = b.process("P")
    p.data_field("n", "INTEGER", initial="1")
    p.activity("calc", script='n = "many"')
    found = _found(b.build())
    assert [(d.severity, d.element_id) for d in found] == [(Severity.WARNING, "calc")]
    assert "its script" in found[0].message
