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


def _on_one_line(second_to: bytes) -> bytes:
    """The document with both transitions on one line, the second's ``To`` ``second_to``."""
    doc = _DOC.replace(
        b'<Transition Id="t1" From="s" To="e"/>\n        <Transition Id="t2" From="s" '
        b'To="nowhere"/>',
        b'<Transition Id="t1" From="s" To="nowhere"/><Transition Id="t2" From="s" To="'
        + second_to
        + b'"/>',
    )
    assert doc != _DOC
    return doc


def _key_findings(doc: bytes, value: str) -> list[str | None]:
    return [
        d.element_id
        for d in validate(load_xpdl(doc))
        if d.code == "schema-violation" and f"key-sequence [{value!r}]" in d.message
    ]


def test_elements_sharing_a_line_are_told_apart_by_the_value_quoted() -> None:
    """A file written on one line puts every transition on one line: the finding names the
    one whose attribute holds the missing value, not the first on the line."""
    assert set(_key_findings(_on_one_line(b"elsewhere"), "elsewhere")) == {"t2"}
    assert set(_key_findings(_on_one_line(b"elsewhere"), "nowhere")) == {"t1"}


def test_elements_the_quoted_value_does_not_tell_apart_are_not_named() -> None:
    found = _key_findings(_on_one_line(b"nowhere"), "nowhere")
    assert found and set(found) == {None}


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
