"""An activity drawn in a pool lane that names performers, and naming none of its own, is the
lane's performers' work (XPDL 2.x tools, Bizagi, Signavio, JaWE 2.1, mean the lane as the
role): its work item is offered to them. Its own performer always wins; nested lanes give the
nearest lane with performers; a route or event in a lane waits for nobody."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, VirtualClock, WorkItemState, load_xpdl, validate
from wfengine.definition.lanes import LanePerformers

CONFORMANCE = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "xpdl"


def _node(lane: str) -> str:
    return (
        '<NodeGraphicsInfos><NodeGraphicsInfo ToolId="Tool" LaneId="'
        + lane
        + '" Width="90" Height="60"/></NodeGraphicsInfos>'
    )


def _package(activities: str, transitions: str = "", lanes: str = "") -> bytes:
    """A package as a modelling tool writes it: lanes name the performers, the activities
    sit in them. Lane ``sales`` names the clerks; ``managers`` nests ``board`` (no
    performers of its own, as 2.1 writes nesting) and ``desk`` (ParentLane, as 2.0 writes
    it); ``outside`` names a role no participant declares."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
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
        <Lane Id="desk" Name="Desk" ParentLane="board"/>
        <Lane Id="outside" Name="Outside">
          <Performers><Performer>accountant</Performer></Performers>
        </Lane>{lanes}
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
      <DataFields><DataField Id="department"><DataType><BasicType Type="STRING"/></DataType>
      </DataField></DataFields>
      <Activities>{activities}</Activities>
      <Transitions>{transitions}</Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>""".encode()


def _engine() -> Engine:
    return Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG))


def _offered(activity: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(performers, assignees) of the work item the one activity ``activity`` offers."""
    with _engine() as e:
        e.deploy(load_xpdl(_package(activity), schema=False))
        iid = e.start_process("p")
        (item,) = e.work_items(iid)
        return item.performers, item.assignees


def test_an_activity_without_a_performer_is_offered_to_its_lanes_performers() -> None:
    # no Implementation element at all (a bare task): a person's work, as with a performer
    performers, assignees = _offered(f'<Activity Id="enter">{_node("sales")}</Activity>')
    assert (performers, assignees) == (("clerk",), ("alice", "bob"))
    # a user task (Bizagi, Signavio)
    user = (
        '<Activity Id="enter"><Implementation><Task><TaskUser/></Task></Implementation>'
        f"{_node('sales')}</Activity>"
    )
    assert _offered(user) == (("clerk",), ("alice", "bob"))


def test_an_activitys_own_performer_wins_over_its_lane() -> None:
    own = (
        '<Activity Id="enter"><Performers><Performer>manager</Performer></Performers>'
        f"{_node('sales')}</Activity>"
    )
    assert _offered(own) == (("manager",), ("carol",))


def test_a_nested_lane_without_performers_takes_the_nearest_lane_that_has_them() -> None:
    assert _offered(f'<Activity Id="a">{_node("board")}</Activity>') == (
        ("manager",),
        ("carol",),
    )
    # desk -> board (ParentLane) -> managers (NestedLane)
    assert _offered(f'<Activity Id="a">{_node("desk")}</Activity>') == (
        ("manager",),
        ("carol",),
    )


def test_a_lane_performer_no_participant_declares_is_a_directory_name() -> None:
    # as an activity's own undeclared performer: a role, unit or user of the directory
    assert _offered(f'<Activity Id="a">{_node("outside")}</Activity>') == (
        ("accountant",),
        ("dan",),
    )


def test_a_lane_performer_naming_a_data_field_is_evaluated_as_an_activitys_is() -> None:
    routed = '<Lane Id="routed"><Performers><Performer>department</Performer></Performers></Lane>'
    package = load_xpdl(
        _package(f'<Activity Id="a">{_node("routed")}</Activity>', lanes=routed), schema=False
    )
    # an expression over the data, not a participant the package lacks (accountant is one)
    unknown = [d.element_id for d in validate(package) if d.code == "undefined-participant"]
    assert unknown == ["outside"]
    with _engine() as e:
        e.deploy(package)
        iid = e.start_process("p", {"department": "accounts"})
        (item,) = e.work_items(iid)
        assert (item.performers, item.assignees) == (("department",), ("dan",))


def test_routes_and_events_in_a_lane_wait_for_nobody_and_work_runs_lane_to_lane() -> None:
    activities = (
        f'<Activity Id="start"><Event><StartEvent Trigger="None"/></Event>{_node("sales")}'
        "</Activity>"
        f'<Activity Id="enter">{_node("sales")}</Activity>'
        f'<Activity Id="gate"><Route GatewayType="Exclusive"/>{_node("managers")}</Activity>'
        f'<Activity Id="approve">{_node("board")}</Activity>'
        f'<Activity Id="end"><Event><EndEvent Result="None"/></Event>{_node("managers")}'
        "</Activity>"
    )
    transitions = "".join(
        f'<Transition Id="t{i}" From="{a}" To="{b}"/>'
        for i, (a, b) in enumerate(
            [("start", "enter"), ("enter", "gate"), ("gate", "approve"), ("approve", "end")]
        )
    )
    with _engine() as e:
        e.deploy(load_xpdl(_package(activities, transitions), schema=False))
        iid = e.start_process("p")
        (enter,) = e.work_items(iid)
        assert (enter.activity_id, enter.assignees) == ("enter", ("alice", "bob"))
        e.complete_work_item(enter.id, user="alice")
        (approve,) = e.work_items(iid)
        assert (approve.activity_id, approve.assignees) == ("approve", ("carol",))
        assert approve.state is WorkItemState.OFFERED
        e.complete_work_item(approve.id, user="carol")
        assert e.work_items(iid) == []
        assert e.instance(iid).state.value == "closed.completed"


def test_the_nested_lanes_sample_offers_each_activity_to_its_lane() -> None:
    path = CONFORMANCE / "jawe" / "xpdl2.1" / "NestedLanes_nested_lanes.xpdl"
    if not path.exists():
        pytest.skip("the conformance corpus is not checked out")
    package = load_xpdl(path)
    lanes = LanePerformers(package)
    found = {
        a.id: lanes.applied(a).performers
        for a in package.process("supplier").activities
        if not a.performers
    }
    assert found["accumulate_requirements"] == ("pre-sales",)  # nested in marketing: its own
    assert found["develop_product"] == ("engineering",)
    assert found["start_event"] == ()  # an event waits for nobody
