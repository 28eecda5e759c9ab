"""A warning about an attribute value the reader cannot read quotes it shortened, as every
other finding quotes a text: a ``LoopMaximum`` of 100,000 digits made a warning of 100,151
characters (what the reader keeps of the value is kept as before)."""

from __future__ import annotations

from wfengine import dump_xpdl, load_xpdl

_NS = "http://www.wfmc.org/2009/XPDL2.2"


def _package(loop_maximum: str, split_type: str) -> bytes:
    return f"""<?xml version="1.0"?>
<Package xmlns="{_NS}" Id="pkg"><PackageHeader><XPDLVersion>2.2</XPDLVersion>
<Vendor>t</Vendor><Created>2024</Created></PackageHeader>
<WorkflowProcesses><WorkflowProcess Id="P"><ProcessHeader/><Activities>
<Activity Id="a"><Route/><Loop LoopType="Standard"><LoopStandard LoopMaximum="{loop_maximum}"
 TestTime="After"><LoopCondition>false</LoopCondition></LoopStandard></Loop>
<TransitionRestrictions><TransitionRestriction><Split Type="{split_type}"/>
</TransitionRestriction></TransitionRestrictions></Activity>
</Activities></WorkflowProcess></WorkflowProcesses></Package>""".encode()


def test_a_huge_unreadable_attribute_value_is_quoted_short_and_kept_whole() -> None:
    huge, odd = "9" * 100_000, "Xclusive" * 10_000
    package = load_xpdl(_package(huge, odd), schema=False)
    messages = [d.message for d in package.load_diagnostics if d.code == "xpdl-unreadable"]
    assert len(messages) == 2
    assert all(len(m) < 300 for m in messages)
    assert messages[0].startswith("attribute Type='XclusiveXclusive")
    assert messages[1].startswith("attribute LoopMaximum='99999999")
    assert huge.encode() in dump_xpdl(package)  # (kept, as an unknown attribute)
