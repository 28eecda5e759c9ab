"""``assignment-type`` judges a constant by the engine's own conversion
(:func:`wfengine.definition.coercion.coerce`). Before, it had number rules of its own: a
FLOAT assigned ``'1_000'`` or an INTEGER assigned ``'١٢'`` (Arabic-Indic digits) or ``'７'``
(fullwidth) validated clean, and every instance reaching the activity stopped with an
incident, since the engine reads ASCII digits only."""

from __future__ import annotations

import pytest

from wfengine import Engine, VirtualClock, load_xpdl
from wfengine.definition.diagnostics import Severity
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


def _assigned(kind: str, value: str) -> Package:
    return load_xpdl(_DOC.format(kind=kind, value=value).encode(), schema=False)


def _runs_clean(package: Package) -> bool:
    engine = Engine(clock=VirtualClock())
    engine.deploy(package)
    iid = engine.start_process("P")
    return not engine.incidents(iid)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("FLOAT", "'1_000'"),
        ("INTEGER", "'1_000'"),
        ("INTEGER", "'١٢'"),
        ("FLOAT", "'١٢'"),
        ("FLOAT", "'٣.٥'"),
        ("INTEGER", "'７'"),
    ],
)
def test_text_the_engine_does_not_read_as_a_number_is_a_warning(kind: str, value: str) -> None:
    package = _assigned(kind, value)
    found = [d for d in validate(package) if d.code == "assignment-type"]
    assert [(d.severity, d.element_id) for d in found] == [(Severity.WARNING, "a")]
    assert kind in found[0].message
    # what the warning foretells: the instance stops with an incident at 'a'
    assert not _runs_clean(package)


@pytest.mark.parametrize(
    ("kind", "value"),
    [("FLOAT", "'1000'"), ("FLOAT", "'1e3'"), ("INTEGER", "' 12 '"), ("INTEGER", "'-7'")],
)
def test_ascii_number_text_is_fine_and_runs(kind: str, value: str) -> None:
    package = _assigned(kind, value)
    assert [d for d in validate(package) if d.code == "assignment-type"] == []
    assert _runs_clean(package)
