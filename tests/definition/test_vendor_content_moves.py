"""Vendor content XPDL 2.2 allows inside elements the model has no room for leftovers in (a
Split, Performers, LoopStandard, BasicType, ParticipantType, a Responsible) is kept further
out or dropped: never without a warning naming it. The moves and the Responsible's attribute
were silent."""

from __future__ import annotations

from wfengine.definition.xpdl.reader import read_package

_DOC = b"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" xmlns:v="urn:vendor" Id="vend">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2024</Created>
  </PackageHeader>
  <RedefinableHeader><Responsibles><Responsible v:mail="a@b">clerk</Responsible>
  </Responsibles></RedefinableHeader>
  <Participants><Participant Id="clerk"><ParticipantType Type="ROLE"><v:roleInfo/>
  </ParticipantType></Participant></Participants>
  <WorkflowProcesses><WorkflowProcess Id="w"><ProcessHeader/>
    <DataFields><DataField Id="n"><DataType><BasicType Type="INTEGER"><v:range/></BasicType>
    </DataType><InitialValue>0</InitialValue></DataField></DataFields>
    <Activities>
      <Activity Id="a">
        <Implementation><Task><TaskUser Implementation="Unspecified"/></Task></Implementation>
        <Performers><Performer>clerk</Performer><v:fallback>boss</v:fallback></Performers>
        <TransitionRestrictions><TransitionRestriction><Split Type="Exclusive"><TransitionRefs>
          <TransitionRef Id="t2"/><TransitionRef Id="t3"/></TransitionRefs><v:splitRule/>
        </Split></TransitionRestriction></TransitionRestrictions>
        <Loop LoopType="Standard"><LoopStandard TestTime="After"><LoopCondition>n &lt; 3
        </LoopCondition><v:loopHint/></LoopStandard></Loop>
      </Activity>
      <Activity Id="e1"/><Activity Id="e2"/>
    </Activities>
    <Transitions>
      <Transition Id="t2" From="a" To="e1"/><Transition Id="t3" From="a" To="e2"/>
    </Transitions>
  </WorkflowProcess></WorkflowProcesses>
</Package>"""


def test_vendor_content_that_moves_or_is_dropped_is_warned_by_name() -> None:
    pkg = read_package(_DOC)
    said = {d.message: d for d in pkg.load_diagnostics}
    for name, inside, owner in [
        ("roleInfo", "ParticipantType", "clerk"),
        ("range", "BasicType", "n"),
        ("fallback", "Performers", "a"),
        ("splitRule", "Split", "a"),
        ("loopHint", "LoopStandard", "a"),
    ]:
        found = [d for m, d in said.items() if m.startswith(f"<{name}> in <{inside}>")]
        assert len(found) == 1, (name, list(said))
        assert "kept, written back outside it" in found[0].message
        assert found[0].element_id == owner
    # still kept: the move is no loss
    activity = pkg.process("w").activity("a")
    assert {x.local_name for x in activity.extras} >= {"fallback", "splitRule", "loopHint"}
    assert any("{urn:vendor}mail of <Responsible>" in m for m in said), list(said)
    assert pkg.redefinable_header is not None
    assert pkg.redefinable_header.responsibles == ("clerk",)
