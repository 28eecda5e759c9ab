"""Pools that repeat a lane Id (tools number lanes per pool; XPDL 2.0 keys them nowhere):
an activity drawn in ``L1`` is the work of its own pool's ``L1``, the one of the pool that
draws its process, and a lane nested in ``L1`` (ParentLane, NestedLane) is nested in its own
pool's. ``show``, the compiler and a run agree; before, every activity got the performers of
the last pool's ``L1``."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tests.definition.repeated_lanes import PERFORMERS, REPEATED_LANES
from wfengine import Engine, Organisation, VirtualClock, load_xpdl
from wfengine.cli.main import main
from wfengine.definition.lanes import LanePerformers
from wfengine.runtime.compiler import compile_process

ORG = {"users": [{"id": "alice", "roles": ["clerk"]}, {"id": "zoe", "roles": ["boss"]}]}

#: two copies of one process, each drawn in its own pool, whose lanes are both L1: the
#: activity A of each is drawn the very same way, so only its process tells them apart
_COPY = """<WorkflowProcess Id="{p}"><ProcessHeader/><Activities>
  <Activity Id="A"><Implementation><No/></Implementation><NodeGraphicsInfos>
    <NodeGraphicsInfo LaneId="L1" Width="90" Height="60"/></NodeGraphicsInfos></Activity>
</Activities></WorkflowProcess>"""
COPIES = f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2008/XPDL2.1" Id="pk" Name="pk">
  <PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>t</Vendor><Created>x</Created>
  </PackageHeader>
  <Pools>
    <Pool Id="pool1" Process="p1" BoundaryVisible="true"><Lanes>
      <Lane Id="L1"><Performers><Performer>clerk</Performer></Performers></Lane></Lanes></Pool>
    <Pool Id="pool2" Process="p2" BoundaryVisible="true"><Lanes>
      <Lane Id="L1"><Performers><Performer>boss</Performer></Performers></Lane></Lanes></Pool>
  </Pools>
  <WorkflowProcesses>{_COPY.format(p="p1")}{_COPY.format(p="p2")}</WorkflowProcesses>
</Package>"""


def _engine() -> Engine:
    return Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG))


def test_each_activity_takes_the_lane_of_its_own_pool() -> None:
    package = load_xpdl(REPEATED_LANES.encode(), schema=False)
    lanes = LanePerformers(package)
    got = {
        a.id: lanes.applied(a).performers
        for p in package.workflow_processes
        for a in (*p.activities, *(x for s in p.activity_sets for x in s.activities))
        if a.id in PERFORMERS
    }
    assert got == PERFORMERS


def test_show_and_the_compiler_say_each_pools_performers(tmp_path: Path) -> None:
    path = tmp_path / "lanes.xpdl"
    path.write_text(REPEATED_LANES, encoding="utf-8")
    result = CliRunner().invoke(main, ["show", str(path)])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.strip() for line in result.stdout.splitlines() if "[" in line}
    assert rows["a1"] == "a1  [manual]  by clerk (lane L1)"
    assert rows["a2"] == "a2  [manual]  by boss (lane L1)"
    assert rows["s1"] == "s1  [manual]  by boss (lane L1)"
    package = load_xpdl(COPIES.encode(), schema=False)
    compiled = {
        p.id: compile_process(package, p).graph.activities[0].performers
        for p in package.workflow_processes
    }
    assert compiled == {"p1": ("clerk",), "p2": ("boss",)}


def test_a_run_offers_each_activity_to_its_own_pools_lane() -> None:
    with _engine() as e:
        e.deploy(load_xpdl(REPEATED_LANES.encode(), schema=False))
        first = e.start_process("p1")
        (a1,) = e.work_items(first)
        assert (a1.activity_id, a1.performers, a1.assignees) == ("a1", ("clerk",), ("alice",))
        second = e.start_process("p2")
        (a2,) = e.work_items(second)
        assert (a2.activity_id, a2.performers, a2.assignees) == ("a2", ("boss",), ("zoe",))
        e.complete_work_item(a2.id, user="zoe")
        (s1,) = e.work_items(second)
        assert (s1.activity_id, s1.performers, s1.assignees) == ("s1", ("boss",), ("zoe",))


def test_copied_processes_drawn_alike_each_take_their_own_pools_lane() -> None:
    with _engine() as e:
        e.deploy(load_xpdl(COPIES.encode(), schema=False))
        for process, user in (("p1", "alice"), ("p2", "zoe")):
            (item,) = e.work_items(e.start_process(process))
            assert item.assignees == (user,), process
