"""An activity marked ``IsForCompensation="true"`` is a BPMN compensation handler: tied to the
Compensation event it answers by an association, it has no transition in. In a scope with no
start events it must not be taken for a start activity (run with every instance): the engine
compensates nothing, so it never runs, and validation says why."""

from __future__ import annotations

import pytest

from wfengine import Engine, load_xpdl, validate
from wfengine.definition.model import Package

_XPDL = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="pk" Name="pk">
 <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2020</Created>
 </PackageHeader>
 <Participants><Participant Id="clerk"><ParticipantType Type="ROLE"/></Participant></Participants>
 <WorkflowProcesses><WorkflowProcess Id="main"><ProcessHeader/>
  <Activities>
   <Activity Id="book"><Implementation><No/></Implementation>
    <Performers><Performer>clerk</Performer></Performers></Activity>
   <Activity Id="undo" IsForCompensation="{mark}"><Implementation><No/></Implementation>
    <Performers><Performer>clerk</Performer></Performers></Activity>
   <Activity Id="done"><Implementation><No/></Implementation>
    <Performers><Performer>clerk</Performer></Performers></Activity>
  </Activities>
  <Transitions><Transition Id="t1" From="book" To="done"/></Transitions>
 </WorkflowProcess></WorkflowProcesses>
</Package>"""


def _package(mark: str) -> Package:
    return load_xpdl(_XPDL.replace("{mark}", mark).encode())


@pytest.mark.parametrize("mark", ["true", "1", " true "])
def test_a_compensation_handler_does_not_start_with_the_instance(mark: str) -> None:
    with Engine() as engine:
        engine.deploy(_package(mark))
        iid = engine.start_process("main")
        assert [w.activity_id for w in engine.work_items(iid)] == ["book"]


def test_validation_says_the_handler_never_runs_and_why() -> None:
    [d] = [d for d in validate(_package("true")) if d.code == "unreachable-activity"]
    assert d.element_id == "undo"
    assert 'compensation handler (IsForCompensation="true")' in d.message


def test_an_activity_not_for_compensation_still_starts() -> None:
    with Engine() as engine:
        engine.deploy(_package("false"))
        iid = engine.start_process("main")
        assert sorted(w.activity_id for w in engine.work_items(iid)) == ["book", "undo"]
