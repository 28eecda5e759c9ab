"""A schema violation names the element it is about, as every other finding does: the Id of
the element at fault, or of the nearest XPDL element around it with one. Before, each had a
line and no ``[ELEMENT_ID]``, and a key reference's (a Transition's ``To`` naming no
activity, for which libxml2 gives no path) could only be found by opening the file."""

from __future__ import annotations

from wfengine import load_xpdl, validate

_DOC = b"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" xmlns:v="urn:vendor"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" Id="pk" Name="P">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor><Created>2024</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="wp" Name="W">
      <ProcessHeader/>
      <Activities>
        <Activity Id="s"><Event><StartEvent Trigger="None"/></Event>
          <NodeGraphicsInfos><NodeGraphicsInfo Bogus="round"/></NodeGraphicsInfos>
        </Activity>
        <Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity>
      </Activities>
      <Transitions>
        <Transition Id="t1" From="s" To="e"/>
        <Transition Id="t2" From="s" To="nowhere"/>
      </Transitions>
      <ExtendedAttributes>
        <ExtendedAttribute Name="x"><v:thing Id="v1" xsi:type="v:No"/></ExtendedAttribute>
      </ExtendedAttributes>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""


def test_a_key_reference_names_its_element() -> None:
    found = [
        d
        for d in validate(load_xpdl(_DOC))
        if d.code == "schema-violation" and "'nowhere'" in d.message
    ]
    assert found and {d.element_id for d in found} == {"t2"}
    assert all(d.line == 17 for d in found)
    assert all(d.format().endswith(" [t2]") for d in found)


def test_a_child_without_an_id_names_the_element_around_it() -> None:
    [found] = [
        d
        for d in validate(load_xpdl(_DOC))
        if d.code == "schema-violation" and "NodeGraphicsInfo" in d.message
    ]
    assert (found.element_id, found.line) == ("s", 11)


def test_a_vendor_element_names_the_xpdl_element_holding_it() -> None:
    found = [
        d
        for d in validate(load_xpdl(_DOC))
        if d.code == "schema-violation" and "{urn:vendor}thing" in d.message
    ]
    assert found and {d.element_id for d in found} == {"wp"}
