"""Writing XPDL 2.2 spells a scope's ad-hoc ordering as 2.2 does: TIBCO Business Studio's
``AdhocOrdering="sequential"`` copied as written was schema-invalid 2.2, and tools other than
wfengine ran the set it orders in parallel. A value that is neither Sequential nor Parallel is
kept as written (validation names it: ``adhoc-unused``)."""

from __future__ import annotations

import pytest
from lxml import etree

from wfengine import dump_xpdl, load_xpdl
from wfengine.definition.checks.adhoc import is_sequential
from wfengine.definition.xpdl.schema import check_schema

_XPDL = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2008/XPDL2.1" Id="pkg" Name="pkg">
<PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>t</Vendor><Created>x</Created>
</PackageHeader>
<Participants><Participant Id="clerk"><ParticipantType Type="ROLE"/></Participant>
</Participants>
<WorkflowProcesses><WorkflowProcess Id="p" {process}><ProcessHeader/>
<ActivitySets><ActivitySet Id="S" AdHoc="true" {ordering}><Activities>
<Activity Id="a"><Implementation><No/></Implementation></Activity>
<Activity Id="b"><Implementation><No/></Implementation></Activity>
</Activities></ActivitySet></ActivitySets>
<Activities><Activity Id="B"><BlockActivity ActivitySetId="S"/></Activity></Activities>
</WorkflowProcess></WorkflowProcesses></Package>"""


def _written(ordering: str, process: str = "") -> etree._Element:
    package = load_xpdl(_XPDL.format(ordering=ordering, process=process).encode())
    return etree.fromstring(dump_xpdl(package))


def _set_attrs(root: etree._Element) -> dict[str, str]:
    (element,) = root.iter("{*}ActivitySet")
    return dict(element.attrib)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ('AdhocOrdering="sequential"', "Sequential"),
        ('AdhocOrdering="Sequential"', "Sequential"),
        ('AdHocOrdering="SEQUENTIAL"', "Sequential"),
        ('AdhocOrdering=" parallel "', "Parallel"),
    ],
)
def test_the_ordering_is_written_as_xpdl_22_spells_it(written: str, canonical: str) -> None:
    root = _written(written)
    attrs = _set_attrs(root)
    assert attrs.get("AdHocOrdering") == canonical
    assert "AdhocOrdering" not in attrs
    assert check_schema(root.getroottree(), "2.2") == []
    again = load_xpdl(etree.tostring(root))
    (activity_set,) = again.workflow_processes[0].activity_sets
    assert is_sequential(activity_set.extra_attrs) is (canonical == "Sequential")


def test_a_process_ordering_is_written_so_too() -> None:
    root = _written("", process='AdHoc="true" AdhocOrdering="sequential"')
    (process,) = root.iter("{*}WorkflowProcess")
    assert process.get("AdHocOrdering") == "Sequential" and process.get("AdhocOrdering") is None


def test_a_value_that_is_neither_is_kept_as_written() -> None:
    attrs = _set_attrs(_written('AdhocOrdering="random"'))
    assert attrs.get("AdhocOrdering") == "random" and "AdHocOrdering" not in attrs
