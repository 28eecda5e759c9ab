"""Vendor content that relies on a default namespace (``xmlns="..."``) or on none keeps it.

A tool may prefix XPDL (``<x:Package xmlns:x="...XPDL2.2">``) and declare its own namespace as
the root's default, or write its elements in no namespace at all. The written package always
has XPDL 2.2 as its root's default, so each vendor element must carry the default it had in the
source; an unprefixed QName in its values (``xsi:type="Shape"``) names that namespace too.
"""

from __future__ import annotations

from lxml import etree

from wfengine import dump_xpdl, load_xpdl
from wfengine.definition.model import XPDL22_NS

VENDOR = "urn:vendor"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

#: XPDL under the prefix ``x``; the root's default namespace is the vendor's, so every
#: unprefixed element is the vendor's, also inside XPDL elements kept verbatim (graphics,
#: message flows, artifacts)
PREFIXED_XPDL = f"""<?xml version="1.0" encoding="UTF-8"?>
<x:Package xmlns:x="{XPDL22_NS}" xmlns="{VENDOR}" xmlns:xsi="{XSI}" Id="p" Name="P">
  <x:PackageHeader><x:XPDLVersion>2.2</x:XPDLVersion><x:Vendor>v</x:Vendor>
    <x:Created>2024</x:Created></x:PackageHeader>
  <x:MessageFlows><x:MessageFlow Id="mf" Source="a" Target="a"><route xsi:type="Wire"/>
  </x:MessageFlow></x:MessageFlows>
  <x:Artifacts><x:Artifact Id="note" ArtifactType="Annotation"><style xsi:type="Bold"/>
  </x:Artifact></x:Artifacts>
  <x:WorkflowProcesses>
    <x:WorkflowProcess Id="wp"><x:ProcessHeader/>
      <x:Activities>
        <x:Activity Id="a"><x:Implementation><x:No/></x:Implementation>
          <x:NodeGraphicsInfos><x:NodeGraphicsInfo ToolId="t"><shape xsi:type="Round"><colour/>
          </shape></x:NodeGraphicsInfo></x:NodeGraphicsInfos>
          <hint xsi:type="Short"/>
        </x:Activity>
      </x:Activities>
    </x:WorkflowProcess>
  </x:WorkflowProcesses>
</x:Package>""".encode()


def _vendor_elements(data: bytes) -> list[tuple[str, str | None, str | None]]:
    """Each vendor element: its name, the default namespace in scope, and what its
    ``xsi:type`` names (a QName: unprefixed, it is in the default namespace)."""
    root = etree.fromstring(data)
    out = []
    for el in root.iter():
        if isinstance(el.tag, str) and etree.QName(el).namespace == VENDOR:
            default = el.nsmap.get(None)
            xsi_type = el.get(f"{{{XSI}}}type")
            named = None if xsi_type is None else f"{{{default}}}{xsi_type}"
            out.append((etree.QName(el).localname, default, named))
    return sorted(out)


def test_vendor_elements_keep_the_roots_default_namespace_when_written() -> None:
    package = load_xpdl(PREFIXED_XPDL)
    written = dump_xpdl(package)
    assert _vendor_elements(written) == _vendor_elements(PREFIXED_XPDL)
    assert ("shape", VENDOR, f"{{{VENDOR}}}Round") in _vendor_elements(written)
    again = load_xpdl(written)
    assert again == package
    assert dump_xpdl(again) == written


#: a namespaced document whose vendor writes its elements in no namespace: ``xmlns=""`` under
#: a default XPDL namespace, and plain unprefixed names under a prefixed XPDL root
UNQUALIFIED = [
    f"""<Package xmlns="{XPDL22_NS}" Id="p"><PackageHeader><XPDLVersion>2.2</XPDLVersion>
      <Vendor>v</Vendor><Created>now</Created></PackageHeader><WorkflowProcesses>
      <WorkflowProcess Id="wp"><ProcessHeader/><Activities><Activity Id="a">
      <Implementation><No/></Implementation>
      <note xmlns="" level="2"><Description>vendor's</Description></note>
      </Activity></Activities></WorkflowProcess></WorkflowProcesses></Package>""",
    f"""<x:Package xmlns:x="{XPDL22_NS}" Id="p"><x:PackageHeader>
      <x:XPDLVersion>2.2</x:XPDLVersion><x:Vendor>v</x:Vendor><x:Created>now</x:Created>
      </x:PackageHeader><x:WorkflowProcesses><x:WorkflowProcess Id="wp"><x:ProcessHeader/>
      <x:Activities><x:Activity Id="a"><x:Implementation><x:No/></x:Implementation>
      <note level="2"><Description>vendor's</Description></note>
      </x:Activity></x:Activities></x:WorkflowProcess></x:WorkflowProcesses></x:Package>""",
]


def test_elements_in_no_namespace_stay_in_none_in_a_namespaced_document() -> None:
    for doc in UNQUALIFIED:
        package = load_xpdl(doc.encode())
        activity = package.process("wp").activity("a")
        [note] = activity.extras
        assert note.tag == "note"
        assert [c.tag for c in note.children] == ["Description"]  # not XPDL's Description
        assert activity.description is None
        again = load_xpdl(dump_xpdl(package))
        assert again == package
        [note] = again.process("wp").activity("a").extras
        assert note.tag == "note"


def test_a_document_without_a_namespace_is_still_read_as_xpdl() -> None:
    doc = b"""<Package Id="p"><PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor>
      <Created>now</Created></PackageHeader><WorkflowProcesses><WorkflowProcess Id="wp">
      <ProcessHeader/><Activities><Activity Id="a"><Description>d</Description>
      <Implementation><No/></Implementation><Icon>i.png</Icon></Activity></Activities>
      </WorkflowProcess></WorkflowProcesses></Package>"""
    package = load_xpdl(doc)
    activity = package.process("wp").activity("a")
    assert activity.description == "d"
    assert [x.tag for x in activity.extras] == [f"{{{XPDL22_NS}}}Icon"]
