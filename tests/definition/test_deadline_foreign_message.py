"""``expression-foreign`` on a deadline's duration says what the engine does with it: sets no
timer, records ``deadline.invalid`` and runs on (it once said the instance stops with an
incident, which is what happens at the other sites, not here)."""

from __future__ import annotations

from wfengine import Engine, VirtualClock, load_xpdl, validate
from wfengine.definition.model import Package


def _package(duration: str, condition: str = "amount &gt; 1") -> Package:
    return load_xpdl(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p" Name="P">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor><Created>2024</Created>
  </PackageHeader>
  <Script Type="text/javascript"/>
  <Participants><Participant Id="clerk"><ParticipantType Type="ROLE"/></Participant>
  </Participants>
  <WorkflowProcesses>
    <WorkflowProcess Id="wp" Name="n"><ProcessHeader/>
      <DataFields>
        <DataField Id="amount"><DataType><BasicType Type="INTEGER"/></DataType></DataField>
      </DataFields>
      <Activities>
        <Activity Id="review"><Implementation><Task><TaskUser/></Task></Implementation>
          <Performers><Performer>clerk</Performer></Performers>
          <Deadline Execution="ASYNCHR"><DeadlineDuration>{duration}</DeadlineDuration>
            <ExceptionName>late</ExceptionName></Deadline>
        </Activity>
        <Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity>
      </Activities>
      <Transitions>
        <Transition Id="t" From="review" To="e">
          <Condition Type="CONDITION"><Expression>{condition}</Expression></Condition>
        </Transition>
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>""".encode()
    )


JAVA_DATE = "var d=new java.util.Date(); d.setTime(d.getTime() + 86400000); d"


def test_a_foreign_deadline_duration_is_said_to_set_no_timer() -> None:
    package = _package(JAVA_DATE)
    (finding,) = [d for d in validate(package) if d.code == "expression-foreign"]
    assert finding.element_id == "review"
    message = finding.message
    assert message.startswith("a deadline duration of activity 'review'")
    assert "stops with an incident" not in message
    assert "sets no timer" in message and "deadline.invalid" in message
    # which is what the engine does: it records deadline.invalid and runs on
    engine = Engine(clock=VirtualClock())
    engine.deploy(package)
    instance = engine.create_instance("wp", data={"amount": 5})
    engine.start(instance)
    assert "deadline.invalid" in [event.kind for event in engine.audit(instance)]
    assert engine.incidents(instance) == []
    assert engine.instance(instance).state.startswith("open")


def test_a_foreign_condition_still_says_the_instance_stops_with_an_incident() -> None:
    package = _package("P1D", condition="var x = 1; x &gt; 0")
    (finding,) = [d for d in validate(package) if d.code == "expression-foreign"]
    assert finding.message.startswith("the condition of transition 't'")
    assert finding.message.endswith("an instance reaching it stops with an incident")
