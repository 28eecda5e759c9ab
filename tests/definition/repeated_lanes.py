"""A document whose pools repeat lane Ids, as XPDL 2.0 allows (and tools write in 2.1 files
too) and 2.2 does not (``LaneIds.Package``): what ``wfengine convert`` renames, and what the
engine must read per pool.

Pool ``pool1`` draws ``p1``: lane ``L1`` names the clerks and lists ``L2`` as a NestedLane
(2.1's nesting). Pool ``pool2`` draws ``p2``: lane ``L1`` names the bosses and ``L2`` says
``ParentLane="L1"`` (2.0's nesting). Neither ``L2`` names performers, so an activity drawn in
one is its pool's ``L1``'s work: ``a1`` (in p1's L2) the clerks', ``a2`` (in p2's L2) and
``s1`` (in p2's L1, inside activity set ``S``) the bosses'. Artifact ``note`` is drawn in
``L1`` and associated with ``a2`` (so it means pool2's lane), ``loose`` in ``L1`` with no
association (so the first pool's).
"""

from __future__ import annotations


def _in(lane: str) -> str:
    return f'<NodeGraphicsInfos><NodeGraphicsInfo LaneId="{lane}"/></NodeGraphicsInfos>'


REPEATED_LANES = f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2008/XPDL2.1" Id="pk" Name="pk">
  <PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>t</Vendor><Created>x</Created>
  </PackageHeader>
  <Participants>
    <Participant Id="clerk"><ParticipantType Type="ROLE"/></Participant>
    <Participant Id="boss"><ParticipantType Type="ROLE"/></Participant>
  </Participants>
  <Pools>
    <Pool Id="pool1" Process="p1" BoundaryVisible="true"><Lanes>
      <Lane Id="L1"><Performers><Performer>clerk</Performer></Performers>
        <NestedLane LaneId="L2"/></Lane>
      <Lane Id="L2"/>
    </Lanes></Pool>
    <Pool Id="pool2" Process="p2" BoundaryVisible="true"><Lanes>
      <Lane Id="L1"><Performers><Performer>boss</Performer></Performers></Lane>
      <Lane Id="L2" ParentLane="L1"/>
    </Lanes></Pool>
  </Pools>
  <Associations><Association Id="as1" Source="note" Target="a2"/></Associations>
  <Artifacts>
    <Artifact Id="note" ArtifactType="Annotation" TextAnnotation="n">{_in("L1")}</Artifact>
    <Artifact Id="loose" ArtifactType="Annotation" TextAnnotation="l">{_in("L1")}</Artifact>
  </Artifacts>
  <WorkflowProcesses>
    <WorkflowProcess Id="p1"><ProcessHeader/>
      <Activities>
        <Activity Id="a1"><Implementation><No/></Implementation>{_in("L2")}</Activity>
      </Activities>
    </WorkflowProcess>
    <WorkflowProcess Id="p2"><ProcessHeader/>
      <ActivitySets><ActivitySet Id="S"><Activities>
        <Activity Id="s1"><Implementation><No/></Implementation>{_in("L1")}</Activity>
      </Activities></ActivitySet></ActivitySets>
      <Activities>
        <Activity Id="a2"><Implementation><No/></Implementation>{_in("L2")}</Activity>
        <Activity Id="B"><BlockActivity ActivitySetId="S"/>{_in("L1")}</Activity>
      </Activities>
      <Transitions><Transition Id="t1" From="a2" To="B"/></Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>"""

#: activity -> who works on it (its pool's lane's performers)
PERFORMERS = {"a1": ("clerk",), "a2": ("boss",), "s1": ("boss",)}
