"""An attribute value the reader cannot read (``<Split Type="Xclusive">``) is reported on the
Activity or Transition it belongs to, so a tool or the CLI can point at it."""

from __future__ import annotations

from wfengine import load_xpdl

_NS = "http://www.wfmc.org/2009/XPDL2.2"
_XPDL = f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="{_NS}" Id="pkg"><PackageHeader><XPDLVersion>2.2</XPDLVersion>
<Vendor>t</Vendor><Created>2024</Created></PackageHeader>
<WorkflowProcesses><WorkflowProcess Id="P"><Activities>
<Activity Id="g"><Route/><TransitionRestrictions><TransitionRestriction>
<Split Type="Xclusive"/></TransitionRestriction></TransitionRestrictions></Activity>
<Activity Id="a"><Implementation><No/></Implementation></Activity>
<Activity Id="j"><Route/><TransitionRestrictions><TransitionRestriction>
<Join Type="AND-ish"/></TransitionRestriction></TransitionRestrictions></Activity>
</Activities><Transitions>
<Transition Id="t1" From="g" To="a"><Condition Type="Conditon">x</Condition></Transition>
<Transition Id="t2" From="a" To="j"/>
</Transitions></WorkflowProcess></WorkflowProcesses></Package>
"""


def test_unreadable_attribute_values_name_their_activity_or_transition() -> None:
    package = load_xpdl(_XPDL.encode())
    found = {
        d.message.split(" of ")[0]: d.element_id
        for d in package.load_diagnostics
        if d.code == "xpdl-unreadable"
    }
    assert found == {
        "attribute Type='Xclusive'": "g",
        "attribute Type='AND-ish'": "j",
        "attribute Type='Conditon'": "t1",
    }
