"""A Standard loop's ``LoopMaximum`` written as an integral decimal (``3.0``, as tools that keep
numbers as floats write it) is that whole number; any other value that is no whole number is
dropped alone, with a warning, and kept as written. Before, either value threw the whole
Loop away (an ``xpdl-unreadable`` warning only) and its activity ran once."""

from __future__ import annotations

import pytest

from wfengine import Engine, load_xpdl
from wfengine.definition.diagnostics import Diagnostic
from wfengine.definition.io import dump_xpdl
from wfengine.definition.model import Package, StandardLoop
from wfengine.definition.validation import validate

_DOC = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p" Name="p">
<PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2024-01-01</Created>
</PackageHeader>
<WorkflowProcesses><WorkflowProcess Id="w" Name="w"><ProcessHeader/>
<DataFields><DataField Id="x"><DataType><BasicType Type="INTEGER"/></DataType>
<InitialValue>0</InitialValue></DataField></DataFields><Activities>
<Activity Id="st"><Event><StartEvent Trigger="None"/></Event></Activity>
<Activity Id="a"><Implementation><Task><TaskScript><Script>x = x + 1</Script></TaskScript>
</Task></Implementation>
<Loop LoopType="Standard"><LoopStandard TestTime="After" LoopMaximum="{maximum}">
<LoopCondition>x &lt; 100</LoopCondition></LoopStandard></Loop></Activity>
<Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity>
</Activities><Transitions>
<Transition Id="t1" From="st" To="a"/><Transition Id="t2" From="a" To="e"/>
</Transitions></WorkflowProcess></WorkflowProcesses></Package>
"""


def _package(maximum: str) -> Package:
    return load_xpdl(_DOC.format(maximum=maximum).encode(), schema=False)


def _loop(package: Package) -> StandardLoop:
    [activity] = [a for a in package.workflow_processes[0].activities if a.id == "a"]
    assert isinstance(activity.loop, StandardLoop), activity.loop
    return activity.loop


def _unreadable(package: Package) -> list[Diagnostic]:
    return [d for d in validate(package) if d.code == "xpdl-unreadable"]


def _runs(package: Package) -> int:
    engine = Engine()
    engine.deploy(package, check_bindings=False)
    iid = engine.start_process("w")
    return int(engine.instance(iid).data["x"])


@pytest.mark.parametrize("maximum", ["3", "3.0", " 3.00 ", "3e0"])
def test_a_whole_number_maximum_bounds_the_loop(maximum: str) -> None:
    package = _package(maximum)
    assert _loop(package).maximum == 3
    assert _unreadable(package) == []
    assert _runs(package) == 3


@pytest.mark.parametrize("maximum", ["3.5", "abc", "nan", "1e999"])
def test_another_maximum_is_dropped_alone_and_kept_as_written(maximum: str) -> None:
    package = _package(maximum)
    loop = _loop(package)
    assert loop.maximum is None and loop.condition == "x < 100"
    [warning] = _unreadable(package)
    assert f"LoopMaximum={maximum!r}" in warning.message
    assert warning.element_id == "a" and "kept" in warning.message
    assert f'LoopMaximum="{maximum}"'.encode() in dump_xpdl(package)
    assert _runs(package) == 100  # the loop runs, to its condition
