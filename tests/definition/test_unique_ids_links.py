"""``unique_ids`` and package-level MessageFlows and Associations naming a repeated activity Id.

Two processes both have an activity ``A``; ``wfengine convert`` renames the second to
``A.p2``. A message flow or association at package level that meant the second ``A`` must
then say ``A.p2``, or the converted file links the first process's activity instead. Which one
it meant follows from its other end: a message flow joins two pools (processes), an
association stays within one.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from wfengine.cli.main import main
from wfengine.definition.io import dump_xpdl, load_xpdl
from wfengine.definition.model import Package
from wfengine.definition.unique_ids import Rename, unique_ids
from wfengine.definition.xpdl.schema import check_schema


def _process(pid: str, only: str) -> str:
    return f"""
    <WorkflowProcess Id="{pid}"><ProcessHeader/>
      <Activities>
        <Activity Id="A"><Implementation><No/></Implementation></Activity>
        <Activity Id="{only}"><Implementation><No/></Implementation></Activity>
      </Activities>
      <Transitions><Transition Id="t.{pid}" From="A" To="{only}"/></Transitions>
    </WorkflowProcess>"""


#: p1 and p2 both hold activity A; pools draw them, an annotation sits in p2's lane; the
#: message flows and associations name A and say by their other end which A they mean
LINKED = f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2008/XPDL2.1" Id="pkg" Name="pkg">
  <PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>t</Vendor><Created>x</Created>
  </PackageHeader>
  <Pools>
    <Pool Id="pool1" Process="p1" BoundaryVisible="true">
      <Lanes><Lane Id="lane1" ParentPool="pool1"/></Lanes></Pool>
    <Pool Id="pool2" Process="p2" BoundaryVisible="true">
      <Lanes><Lane Id="lane2" ParentPool="pool2"/></Lanes></Pool>
  </Pools>
  <MessageFlows>
    <MessageFlow Id="from_pool" Source="pool1" Target="A"/>
    <MessageFlow Id="from_activity" Source="only1" Target="A"/>
    <MessageFlow Id="to_activity" Source="A" Target="only2"/>
    <MessageFlow Id="to_pool" Source="A" Target="pool1"/>
  </MessageFlows>
  <Associations>
    <Association Id="with_note" Source="note" Target="A" AssociationDirection="None"/>
    <Association Id="with_activity" Source="only2" Target="A" AssociationDirection="None"/>
    <Association Id="with_unknown" Source="nowhere" Target="A" AssociationDirection="None"/>
  </Associations>
  <Artifacts>
    <Artifact Id="note" ArtifactType="Annotation" TextAnnotation="check twice">
      <NodeGraphicsInfos><NodeGraphicsInfo LaneId="lane2"/></NodeGraphicsInfos>
    </Artifact>
  </Artifacts>
  <WorkflowProcesses>{_process("p1", "only1")}{_process("p2", "only2")}
  </WorkflowProcesses>
</Package>"""


def _ends(package: Package) -> dict[str, tuple[str | None, str | None]]:
    return {
        str(link.get("Id")): (link.get("Source"), link.get("Target"))
        for link in (*package.message_flows, *package.associations)
    }


def test_links_to_the_second_holder_name_its_new_id() -> None:
    package, renames = unique_ids(load_xpdl(LINKED.encode()))
    assert Rename("activity", "p2", None, "A", "A.p2") in renames
    assert _ends(package) == {
        # the pool and the activity at the other end are p1's: the flow goes to p2's A
        "from_pool": ("pool1", "A.p2"),
        "from_activity": ("only1", "A.p2"),
        # the other end is p2's: the flow comes from p1's A, which keeps its Id
        "to_activity": ("A", "only2"),
        "to_pool": ("A.p2", "pool1"),
        # an association stays within a process: the note is drawn in p2's lane
        "with_note": ("note", "A.p2"),
        "with_activity": ("only2", "A.p2"),
        # nothing says which A: left naming the first, which keeps the Id
        "with_unknown": ("nowhere", "A"),
    }


def test_wfengine_convert_writes_the_rewritten_links(tmp_path: Path) -> None:
    source = tmp_path / "linked.xpdl"
    source.write_text(LINKED, encoding="utf-8")
    converted = tmp_path / "converted.xpdl"
    result = CliRunner().invoke(main, ["convert", str(source), "-o", str(converted)])
    assert result.exit_code == 0, result.output
    package = load_xpdl(converted)
    assert _ends(package)["from_pool"] == ("pool1", "A.p2")
    assert _ends(package)["with_note"] == ("note", "A.p2")
    tree = etree.fromstring(dump_xpdl(package)).getroottree()
    assert check_schema(tree, "2.2") == []
