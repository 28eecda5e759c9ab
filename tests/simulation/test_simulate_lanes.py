"""A scenario sizes the people of a performer an activity has only through its pool lane (XPDL
2.x tools name the role on the lane): the engine offers the activity's work to the lane's
performers, so ``resources`` may name them, and they set the capacity."""

from __future__ import annotations

import pytest
from tests.simulation.helpers import scenario

from wfengine import Package, load_xpdl
from wfengine.simulation import ScenarioError, simulate

#: one step, "serve", drawn in the lane "desk" whose performer is "clerk" (declared nowhere)
_XPDL = b"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2008/XPDL2.1" Id="lanes" Name="Lanes">
  <PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>t</Vendor>
    <Created>2024-01-01</Created></PackageHeader>
  <Pools><Pool Id="pool" Name="Pool" Process="p" BoundaryVisible="true"><Lanes>
    <Lane Id="desk" Name="Desk"><Performers><Performer>clerk</Performer></Performers></Lane>
  </Lanes></Pool></Pools>
  <WorkflowProcesses><WorkflowProcess Id="p" Name="P"><ProcessHeader/><Activities>
    <Activity Id="serve" Name="Serve"><Implementation><No/></Implementation>
      <NodeGraphicsInfos><NodeGraphicsInfo ToolId="T" LaneId="desk"/></NodeGraphicsInfos>
    </Activity>
  </Activities></WorkflowProcess></WorkflowProcesses>
</Package>"""


def _package() -> Package:
    return load_xpdl(_XPDL, schema=False)


def test_resources_size_the_performers_an_activity_has_by_its_lane() -> None:
    def waiting(clerks: int) -> float:
        scn = scenario(
            arrivals={"every": "1m"},
            activities={"serve": {"duration": "3m"}},
            resources={"clerk": clerks},
        )
        report = simulate(_package(), scn, instances=30)
        assert report.replications[0].groups["clerk"].people == clerks
        mean = report.activities["serve"].waiting.mean
        assert mean is not None
        return mean

    assert waiting(3) == 0  # three clerks, one case a minute, three minutes each
    assert waiting(1) > 60 * 10


def test_a_performer_no_activity_has_even_by_its_lane_is_still_refused() -> None:
    scn = scenario(arrivals={"every": "1m"}, resources={"manager": 2})
    with pytest.raises(ScenarioError, match=r"resources\.manager: .*its performers: clerk"):
        simulate(_package(), scn, instances=1)
