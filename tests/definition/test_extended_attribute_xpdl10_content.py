"""An XPDL 1.0 ExtendedAttribute may hold any element (1.0 admits ##any), and 1.0 files put
elements of their own namespace there; 2.2's admits only ##other. Converted, such content
stays in the 1.0 namespace (written ``deprecated:``), so the 2.2 file is schema-valid."""

from __future__ import annotations

from lxml import etree

from wfengine import dump_xpdl
from wfengine.definition.model import DEPRECATED_NS
from wfengine.definition.xpdl.reader import read_package
from wfengine.definition.xpdl.schema import check_schema

_XPDL10 = b"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2002/XPDL1.0" Id="p" Name="p">
  <PackageHeader><XPDLVersion>1.0</XPDLVersion><Vendor>x</Vendor><Created>2024</Created>
  </PackageHeader>
  <WorkflowProcesses><WorkflowProcess Id="w"><ProcessHeader/>
    <Activities><Activity Id="a"><Route/><ExtendedAttributes>
      <ExtendedAttribute Name="form"><Field name="x" type="text">Label</Field>
      <Description>inner</Description></ExtendedAttribute>
    </ExtendedAttributes></Activity></Activities>
  </WorkflowProcess></WorkflowProcesses>
  <ExtendedAttributes><ExtendedAttribute Name="pkgform"><Layout cols="2"/></ExtendedAttribute>
  </ExtendedAttributes>
</Package>"""


def test_xpdl10_content_of_an_extended_attribute_converts_to_valid_22() -> None:
    pkg = read_package(_XPDL10)
    assert pkg.load_diagnostics == ()  # the source is valid 1.0
    (form,) = pkg.process("w").activity("a").extended_attributes
    assert [node.tag for node in form.content] == [
        f"{{{DEPRECATED_NS}}}Field",
        f"{{{DEPRECATED_NS}}}Description",
    ]
    written = dump_xpdl(pkg)
    # it was moved into the 2.2 namespace: "Element '{...XPDL2.2}Field': This element is not
    # expected"
    assert check_schema(etree.ElementTree(etree.fromstring(written)), "2.2") == []
    again = read_package(written)
    assert again.load_diagnostics == ()
    assert again.process("w").activity("a").extended_attributes == (form,)
    assert again.extended_attributes == pkg.extended_attributes
    assert dump_xpdl(again) == written
