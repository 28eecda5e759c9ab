"""README's account of vendor content holds: vendor attributes are kept on the elements the
model keeps them for and dropped elsewhere, each with an ``xpdl-unreadable`` warning naming
the attribute and its element; a vendor element inside ``<ExternalReference>`` is dropped
with a warning naming it (it used to say only "content of <ExternalReference>")."""

from __future__ import annotations

from wfengine.definition.io import dump_xpdl
from wfengine.definition.xpdl.reader import read_package

DOC = b"""<?xml version="1.0"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" xmlns:v="urn:v" Id="pk" v:k1="1">
  <PackageHeader><XPDLVersion v:d1="1">2.2</XPDLVersion><Vendor>x</Vendor>
    <Created>2020</Created></PackageHeader>
  <Participants v:d2="1"><Participant Id="clerk" v:k2="1"><ParticipantType Type="ROLE"/>
    <ExternalReference location="urn:x" v:k3="1"><v:cache/><v:more/></ExternalReference>
  </Participant></Participants>
  <WorkflowProcesses><WorkflowProcess Id="p" v:k4="1"><ProcessHeader/>
    <Activities v:d3="1">
      <Activity Id="s" v:k5="1"><Description v:d4="1">d</Description>
        <Event v:d5="1"><StartEvent Trigger="None" v:k6="1"/></Event></Activity>
      <Activity Id="a"><Implementation v:d6="1"><No v:k7="1"/></Implementation>
        <Performers><Performer v:d7="1">clerk</Performer></Performers></Activity>
    </Activities>
    <Transitions v:d8="1"><Transition Id="t" From="s" To="a" v:k8="1">
      <Condition Type="CONDITION" v:k9="1">true</Condition></Transition></Transitions>
  </WorkflowProcess></WorkflowProcesses>
</Package>
"""

DROPPED = {
    "d1": "XPDLVersion",
    "d2": "Participants",
    "d3": "Activities",
    "d4": "Description",
    "d5": "Event",
    "d6": "Implementation",
    "d7": "Performer",
    "d8": "Transitions",
}


def test_vendor_attributes_are_kept_or_dropped_by_name() -> None:
    pkg = read_package(DOC, schema=False)
    messages = [d.message for d in pkg.load_diagnostics if d.code == "xpdl-unreadable"]
    for attr, element in DROPPED.items():
        said = f"attribute {{urn:v}}{attr} of <{element}> "
        assert any(m.startswith(said) and "is not kept" in m for m in messages), (attr, messages)
    written = dump_xpdl(pkg).decode()
    for n in range(1, 10):
        assert f'v:k{n}="1"' in written, n
    assert not any(f'v:{attr}="1"' in written for attr in DROPPED)


def test_a_vendor_element_in_an_external_reference_is_named_as_dropped() -> None:
    pkg = read_package(DOC, schema=False)
    messages = [d.message for d in pkg.load_diagnostics if "<ExternalReference>" in d.message]
    assert [m.split(" in ")[0] for m in messages] == ["<cache>", "<more>"]
    assert all(m.endswith("has no place in the model and is not kept") for m in messages)
    assert "cache" not in dump_xpdl(pkg).decode()
