"""A comment or processing instruction inside an element's text is no part of the text, and
loses none of it: ``<Performer><!-- role -->clerk</Performer>`` names the clerk (it once
named nobody, so the work was offered to no one, and convert dropped the performer)."""

from __future__ import annotations

import pytest

from wfengine import Engine, VirtualClock, dump_xpdl, load_xpdl, validate
from wfengine.definition.model import Package

C = "<!-- note -->"
PI = "<?vendor x?>"


def _performer_doc(performer: str, version: str) -> bytes:
    if version == "1.0":
        ns = "http://www.wfmc.org/2002/XPDL1.0"
        activity = (
            '<Activity Id="review"><Implementation><No/></Implementation>'
            f"<Performer>{performer}</Performer>"
            "<StartMode><Manual/></StartMode><FinishMode><Manual/></FinishMode></Activity>"
        )
    else:
        ns = "http://www.wfmc.org/2009/XPDL2.2"
        activity = (
            '<Activity Id="review"><Implementation><Task><TaskUser/></Task></Implementation>'
            f"<Performers><Performer>{performer}</Performer></Performers></Activity>"
        )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="{ns}" Id="p" Name="P">
  <PackageHeader><XPDLVersion>{version}</XPDLVersion><Vendor>v</Vendor><Created>2024</Created>
  </PackageHeader>
  <Participants><Participant Id="clerk"><ParticipantType Type="ROLE"/></Participant>
  </Participants>
  <WorkflowProcesses>
    <WorkflowProcess Id="wp" Name="n"><ProcessHeader/>
      <Activities>{activity}</Activities>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>""".encode()


def _offered_to(package: Package) -> list[tuple[str, ...]]:
    engine = Engine(clock=VirtualClock())
    engine.deploy(package)
    instance = engine.create_instance("wp")
    engine.start(instance)
    return [item.assignees for item in engine.work_items(instance)]


@pytest.mark.parametrize("version", ["1.0", "2.2"])
@pytest.mark.parametrize("performer", [f"{C}clerk", f"{PI}clerk", f"cl{C}erk", f" {C} clerk "])
def test_a_comment_before_a_performers_text_keeps_the_performer(
    version: str, performer: str
) -> None:
    package = load_xpdl(_performer_doc(performer, version))
    assert package.process("wp").activities[0].performers == ("clerk",)
    assert _offered_to(package) == [("clerk",)]
    again = load_xpdl(dump_xpdl(package))
    assert again.process("wp").activities[0].performers == ("clerk",)


_MANY = f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p" Name="P">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor><Created>{C}2024</Created>
    <Documentation>{C}see the{PI} wiki</Documentation></PackageHeader>
  <Participants><Participant Id="clerk"><ParticipantType Type="ROLE"/></Participant>
  </Participants>
  <Pools><Pool Id="pool" Process="wp"><Lanes><Lane Id="lane">
    <Performers><Performer>{C}clerk</Performer></Performers></Lane></Lanes></Pool></Pools>
  <Applications><Application Id="calc"><FormalParameters>
    <FormalParameter Id="x" Mode="IN"><DataType><BasicType Type="STRING">
      <Length>{C}1{PI}0</Length></BasicType></DataType></FormalParameter>
  </FormalParameters></Application></Applications>
  <WorkflowProcesses>
    <WorkflowProcess Id="wp" Name="n">
      <ProcessHeader DurationUnit="D"><Limit>{C}4</Limit>
        <TimeEstimation><Duration>{C}3</Duration></TimeEstimation></ProcessHeader>
      <DataFields>
        <DataField Id="amount"><DataType><BasicType Type="INTEGER"/></DataType>
          <InitialValue>{C}1{PI}2</InitialValue></DataField>
      </DataFields>
      <Activities>
        <Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
        <Activity Id="work"><Description>{C}do the{PI} work</Description>
          <Implementation><Task><TaskApplication Id="calc"><ActualParameters>
            <ActualParameter>{C}amo{PI}unt</ActualParameter>
          </ActualParameters></TaskApplication></Task></Implementation>
          <Performers><Performer>{PI}clerk</Performer></Performers>
          <Priority>{C}5</Priority>
          <Deadline Execution="ASYNCHR"><DeadlineDuration>{C}P1{PI}D</DeadlineDuration>
            <ExceptionName>{C}remind</ExceptionName></Deadline>
          <ExtendedAttributes>
            <ExtendedAttribute Name="form">{C}a{PI}.html</ExtendedAttribute>
          </ExtendedAttributes>
        </Activity>
        <Activity Id="ask"><Implementation><Task><TaskUser>
          <Performers><Performer>{C}clerk</Performer></Performers>
        </TaskUser></Task></Implementation></Activity>
        <Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity>
      </Activities>
      <Transitions>
        <Transition Id="t1" From="s" To="work"/>
        <Transition Id="t2" From="work" To="ask"/>
        <Transition Id="t3" From="ask" To="e"/>
        <Transition Id="t4" From="work" To="e"><Condition Type="EXCEPTION">{C}remind</Condition>
        </Transition>
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>""".encode()


def test_comments_in_element_texts_lose_none_of_the_text() -> None:
    package = load_xpdl(_MANY)
    assert package.header.created == "2024"
    assert package.header.documentation == "see the wiki"
    assert package.pools[0].lanes[0].performers == ("clerk",)
    parameter = package.applications[0].formal_parameters[0]
    assert getattr(parameter.data_type, "length", None) == 10
    process = package.process("wp")
    assert (process.header.limit, process.header.duration) == ("4", "3")
    assert process.data_fields[0].initial_value == "12"
    work, ask = process.activity("work"), process.activity("ask")
    assert work.description == "do the work"
    assert work.performers == ("clerk",)
    assert ask.performers == ("clerk",)  # a TaskUser's own performers, lifted
    assert work.priority == "5"
    assert (work.deadlines[0].duration, work.deadlines[0].exception_name) == ("P1D", "remind")
    assert work.extended_attributes[0].text == "a.html"
    tools = getattr(work.body, "tools", ())
    assert tools[0].actual_parameters == ("amount",)
    assert not [d for d in validate(package) if d.severity.value == "error"]
