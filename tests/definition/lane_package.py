"""A package as XPDL 2.x modelling tools write it, for the tests of what ``show``, ``render``
and the simulation say about activities whose performers come from their pool lane.

Lane ``sales`` names the clerks, ``managers`` the managers and nests ``board`` (no performers
of its own), ``outside`` names ``accountant``, a role no participant declares. The process
runs start -> enter -> own -> ref -> ref2 -> gate -> approve -> end:

* ``enter`` (no performer, in sales): the clerks' work, by its lane;
* ``own`` (performer manager, in sales): its own performer wins;
* ``ref`` (a Reference to ``own``, in sales): the referenced activity's performer wins;
* ``ref2`` (a Reference to ``enter``, which names none, in outside): its lane's, accountant;
* ``gate`` (a route, in managers) and the events wait for nobody;
* ``approve`` (no performer, in board): the nearest lane around it, managers.
"""

from __future__ import annotations

from itertools import pairwise

from wfengine import Package, load_xpdl

#: activity id -> (the performers it has at run time, the lane they come from)
EXPECTED: dict[str, tuple[tuple[str, ...], str | None]] = {
    "start": ((), None),
    "enter": (("clerk",), "sales"),
    "own": (("manager",), None),
    "ref": (("manager",), None),
    "ref2": (("accountant",), "outside"),
    "gate": ((), None),
    "approve": (("manager",), "managers"),
    "end": ((), None),
}


def _node(lane: str) -> str:
    return (
        f'<NodeGraphicsInfos><NodeGraphicsInfo ToolId="T" LaneId="{lane}" Width="90" '
        'Height="60"/></NodeGraphicsInfos>'
    )


ACTIVITIES = (
    f'<Activity Id="start"><Event><StartEvent Trigger="None"/></Event>{_node("sales")}</Activity>'
    f'<Activity Id="enter" Name="Enter">{_node("sales")}</Activity>'
    '<Activity Id="own" Name="Own"><Performers><Performer>manager</Performer></Performers>'
    f"{_node('sales')}</Activity>"
    '<Activity Id="ref"><Implementation><Reference ActivityId="own"/></Implementation>'
    f"{_node('sales')}</Activity>"
    '<Activity Id="ref2"><Implementation><Reference ActivityId="enter"/></Implementation>'
    f"{_node('outside')}</Activity>"
    f'<Activity Id="gate"><Route GatewayType="Exclusive"/>{_node("managers")}</Activity>'
    f'<Activity Id="approve" Name="Approve">{_node("board")}</Activity>'
    f'<Activity Id="end"><Event><EndEvent Result="None"/></Event>{_node("managers")}</Activity>'
)

ORDER = ["start", "enter", "own", "ref", "ref2", "gate", "approve", "end"]

TRANSITIONS = "".join(
    f'<Transition Id="t{i}" From="{a}" To="{b}"/>' for i, (a, b) in enumerate(pairwise(ORDER))
)

XPDL = f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2008/XPDL2.1" Id="lanes" Name="Lanes">
  <PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>t</Vendor>
    <Created>2024-01-01</Created></PackageHeader>
  <Pools>
    <Pool Id="pool" Name="Pool" Process="p" BoundaryVisible="true">
      <Lanes>
        <Lane Id="sales" Name="Sales">
          <Performers><Performer>clerk</Performer></Performers>
        </Lane>
        <Lane Id="managers" Name="Managers">
          <Performers><Performer>manager</Performer></Performers>
          <NestedLane LaneId="board"/>
        </Lane>
        <Lane Id="board" Name="Board"/>
        <Lane Id="outside" Name="Outside">
          <Performers><Performer>accountant</Performer></Performers>
        </Lane>
      </Lanes>
    </Pool>
  </Pools>
  <Participants>
    <Participant Id="clerk" Name="Clerk"><ParticipantType Type="ROLE"/></Participant>
    <Participant Id="manager" Name="Manager"><ParticipantType Type="ROLE"/></Participant>
  </Participants>
  <WorkflowProcesses>
    <WorkflowProcess Id="p" Name="P">
      <ProcessHeader/>
      <Activities>{ACTIVITIES}</Activities>
      <Transitions>{TRANSITIONS}</Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>"""


def lane_package() -> Package:
    """The package above, loaded."""
    return load_xpdl(XPDL.encode(), schema=False)
