"""A comment inside vendor content (an ExtendedAttribute's) changes nothing kept: the blank
after it is indentation, as it is after an element. It was kept as the previous element's
tail, so adding a comment there made a new process version on redeploy. Under
xml:space="preserve" the blank is content and stays."""

from __future__ import annotations

from wfengine import Engine
from wfengine.definition.model import XPDL22_NS
from wfengine.definition.xpdl.reader import read_package


def _package(content: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="{XPDL22_NS}" xmlns:v="urn:vendor" Id="p"><PackageHeader/>
  <WorkflowProcesses><WorkflowProcess Id="w"><ProcessHeader/>
    <Activities><Activity Id="a"/></Activities>
    <ExtendedAttributes><ExtendedAttribute Name="template">{content}</ExtendedAttribute>
    </ExtendedAttributes>
  </WorkflowProcess></WorkflowProcesses>
</Package>""".encode()


_PLAIN = "<v:a>\n   <v:b/>\n</v:a>"


def test_a_comment_in_vendor_content_keeps_the_version() -> None:
    plain = read_package(_package(_PLAIN), schema=False)
    commented = read_package(_package("<v:a>\n   <v:b/><!-- note -->\n</v:a>"), schema=False)
    assert commented.workflow_processes == plain.workflow_processes
    e = Engine()
    assert e.deploy(plain, check_bindings=False)[0].version == 1
    assert e.deploy(commented, check_bindings=False)[0].version == 1


def test_under_xml_space_preserve_the_blank_after_a_comment_stays() -> None:
    content = '<v:a xml:space="preserve"><v:b/><!-- note --> </v:a>'
    pkg = read_package(_package(content), schema=False)
    [attribute] = pkg.workflow_processes[0].extended_attributes
    [a] = attribute.content
    assert a.children[0].tail == " "
