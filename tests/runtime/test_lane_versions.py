"""A pool lane's performers decide who gets the work of an activity drawn in it that names
none (``wfengine.definition.lanes``), so changing only them is a change of the process: a
redeploy makes a new version and new instances offer the work to the new performers. What
does not change what runs (a file written out again, re-indented, a lane nobody is drawn in)
keeps the version, and a process in no lane keeps the fingerprint it always had."""

from __future__ import annotations

from wfengine import Engine, load_xpdl
from wfengine.definition.io import dump_xpdl

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2008/XPDL2.1" Id="lanes" Name="Lanes">
  <PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>t</Vendor>
  <Created>2024-01-01</Created></PackageHeader>
  <Participants>
    <Participant Id="clerk"><ParticipantType Type="ROLE"/></Participant>
    <Participant Id="manager"><ParticipantType Type="ROLE"/></Participant>
  </Participants>
"""
_PROCESS = """  <WorkflowProcesses><WorkflowProcess Id="p"><ProcessHeader/><Activities>
    <Activity Id="enter" Name="Enter"><NodeGraphicsInfos>
      <NodeGraphicsInfo ToolId="T" LaneId="sales"/></NodeGraphicsInfos></Activity>
  </Activities></WorkflowProcess></WorkflowProcesses>
</Package>"""


def _xpdl(performer: str | None, lane_name: str = "Sales") -> bytes:
    performers = f"<Performers><Performer>{performer}</Performer></Performers>" if performer else ""
    pools = (
        '  <Pools><Pool Id="pool" Name="Pool" Process="p" BoundaryVisible="true"><Lanes>\n'
        f'    <Lane Id="sales" Name="{lane_name}">{performers}</Lane>\n'
        "  </Lanes></Pool></Pools>\n"
    )
    return (_HEAD + pools + _PROCESS).encode()


def _offered(engine: Engine) -> tuple[str, ...]:
    instance = engine.start_process("p")
    (item,) = engine.work_items(instance)
    return item.performers


def test_changing_only_a_lanes_performer_makes_a_new_version_that_offers_to_it() -> None:
    with Engine() as engine:
        (first,) = engine.deploy(load_xpdl(_xpdl("clerk")))
        assert _offered(engine) == ("clerk",)
        (second,) = engine.deploy(load_xpdl(_xpdl("manager")))
        assert (first.version, second.version) == (1, 2)
        assert _offered(engine) == ("manager",)


def test_an_unchanged_lane_definition_keeps_its_version() -> None:
    text = _xpdl("clerk")
    with Engine() as engine:
        (first,) = engine.deploy(load_xpdl(text))
        written = dump_xpdl(load_xpdl(text))  # written out again by wfengine
        reindented = b"\n".join(b"        " + line.lstrip() for line in text.splitlines())
        renamed = _xpdl("clerk", lane_name="Front desk")  # a lane's name does not run
        for same in (written, reindented.lstrip(), renamed):
            (again,) = engine.deploy(load_xpdl(same))
            assert again.version == first.version == 1


def test_a_lane_that_gives_no_performers_leaves_the_fingerprint_as_without_pools() -> None:
    """A process in no lane that names performers fingerprints as it did before lanes
    counted: redeploying an unchanged file to a store deployed before keeps its version."""
    no_pools = (_HEAD + _PROCESS).encode()
    with Engine() as engine:
        (bare,) = engine.deploy(load_xpdl(no_pools))
        (empty_lane,) = engine.deploy(load_xpdl(_xpdl(None)))
        assert empty_lane.fingerprint == bare.fingerprint
        assert empty_lane.version == 1
