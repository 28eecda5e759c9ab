"""An instance reaching an intermediate event the engine cannot run stops with an incident that
names the cause validation's ``event-trigger`` names, after the usual instance and activity.
Before, it said only "activity 'X' has an implementation the engine cannot run (a script that
is not assignments, a reference, a conditional event without a condition or an intermediate
event with a trigger it does not know)": four guesses, and no instance."""

from __future__ import annotations

import pytest

from wfengine import Engine, load_xpdl, validate
from wfengine.runtime.states import ProcessState

_PACKAGE = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p" Name="p">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2024-01-01</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="main" Name="main"><ProcessHeader/>
      <Activities>
        <Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
        <Activity Id="wait"><Event><IntermediateEvent Trigger="TRIGGER"/></Event></Activity>
        <Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity>
      </Activities>
      <Transitions>
        <Transition Id="t1" From="s" To="wait"/>
        <Transition Id="t2" From="wait" To="e"/>
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""


@pytest.mark.parametrize(
    ("trigger", "cause"),
    [
        (
            "Conditional",
            "it is a Conditional event with no condition (its TriggerConditional has neither an "
            "Expression nor a ConditionName), so the engine cannot tell when to go on: skip the "
            "incident to go on past it (wfengine incident skip ID), or give the event its "
            "condition in the definition",
        ),
        (
            "Multiple",
            "it is an event with trigger 'Multiple', which the engine does not run in the flow: "
            "skip the incident to go on past it (wfengine incident skip ID), or change its "
            "trigger in the definition",
        ),
    ],
)
def test_the_incident_names_the_instance_and_the_one_cause(trigger: str, cause: str) -> None:
    package = load_xpdl(_PACKAGE.replace("TRIGGER", trigger).encode())
    assert [d.code for d in validate(package)] == ["event-trigger"]
    with Engine() as engine:
        engine.deploy(package)
        iid = engine.start_process("main")
        [incident] = engine.incidents(iid)
        assert (incident.activity_id, incident.operation) == ("wait", "run")
        assert incident.message == f"instance {iid!r}, activity 'wait': {cause}"
        engine.skip_incident(incident.id)  # what it says to do goes on past it
        assert engine.instance(iid).state is ProcessState.COMPLETED
        assert engine.trace(iid) == ["s", "wait", "e"]
