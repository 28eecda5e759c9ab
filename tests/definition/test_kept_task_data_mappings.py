"""A TaskApplication's DataMappings the reader keeps as XML (a formal left unmapped) are
written as TaskApplication content in the 2.2 namespace, as SubFlow's are: ``wfengine
convert`` of a schema-valid 2.1 file used to put them in a ``deprecated:Tool``, re-namespaced
into XPDL 1.0, whose Tool has no place for them, so the 2.2 output was schema-invalid."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from wfengine.cli.main import main
from wfengine.definition.io import load_xpdl
from wfengine.definition.model import XPDL22_NS, TaskImplementation
from wfengine.definition.xpdl.schema import check_schema

_XPDL21 = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2008/XPDL2.1" Id="maps" Name="Maps">
<PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>t</Vendor><Created>x</Created>
</PackageHeader>
<Applications><Application Id="app"><FormalParameters>
<FormalParameter Id="x" Mode="IN"><DataType><BasicType Type="INTEGER"/></DataType>
</FormalParameter>
<FormalParameter Id="y" Mode="OUT"><DataType><BasicType Type="INTEGER"/></DataType>
</FormalParameter>
</FormalParameters></Application></Applications>
<WorkflowProcesses><WorkflowProcess Id="main"><ProcessHeader/>
<DataFields><DataField Id="a"><DataType><BasicType Type="INTEGER"/></DataType></DataField>
</DataFields>
<Activities>
<Activity Id="t"><Implementation><Task><TaskApplication Id="app">
<DataMappings><DataMapping Formal="x" Direction="IN"><Actual>a</Actual></DataMapping>
</DataMappings><Description>calls app</Description>
</TaskApplication></Task></Implementation></Activity>
</Activities></WorkflowProcess></WorkflowProcesses></Package>"""


def _convert(tmp_path: Path) -> Path:
    source = tmp_path / "maps21.xpdl"
    source.write_text(_XPDL21, encoding="utf-8")
    assert check_schema(etree.parse(str(source)), "2.1") == []
    out = tmp_path / "maps22.xpdl"
    result = CliRunner().invoke(main, ["convert", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_kept_data_mappings_stay_in_the_task_application(tmp_path: Path) -> None:
    tree = etree.parse(str(_convert(tmp_path)))
    assert check_schema(tree, "2.2") == []
    (application,) = tree.iter(f"{{{XPDL22_NS}}}TaskApplication")
    children = [etree.QName(c).localname for c in application]
    assert children == ["DataMappings", "Description"]
    assert all(etree.QName(e).namespace == XPDL22_NS for e in application.iter(etree.Element))
    assert not list(tree.iter("{*}Tool"))


def test_the_converted_file_reads_as_the_source_did(tmp_path: Path) -> None:
    source = load_xpdl(_XPDL21.encode(), schema=False)
    again = load_xpdl(_convert(tmp_path), schema=False)
    (before,) = [a.body for a in source.workflow_processes[0].activities]
    (after,) = [a.body for a in again.workflow_processes[0].activities]
    assert isinstance(after, TaskImplementation) and after.tools == before.tools
    (mappings,) = after.tools[0].extras
    assert mappings.local_name == "DataMappings"
