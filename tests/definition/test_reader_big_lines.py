"""Findings in a document of more than 65,535 lines point at the right line.

libxml2 keeps an element's line in 16 bits; past it lxml's ``sourceline`` is derived from the
text after the element and is often one too many. The reader counts those lines itself."""

from __future__ import annotations

import pytest

from wfengine import load_xpdl, validate
from wfengine.definition.xpdl.secure import exact_lines, parse_xml

#: comments, CDATA and attribute values holding what looks like markup, which the count of
#: start tags must pass over
TRICKY = '<!-- <Activity Id="no"> --><?pi <x> ?>'


def _document(encoding: str = "UTF-8", padding: int = 70_000) -> str:
    filler = "\n".join(f"<!-- filler {i} -->" for i in range(padding))
    return f"""<?xml version="1.0" encoding="{encoding}"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p" Name="P">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor><Created>2024</Created>
  </PackageHeader>
{filler}
  <WorkflowProcesses>
    <WorkflowProcess Id="wp" Name="a &gt; b">
      <ProcessHeader/>{TRICKY}
      <Activities>
        <Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
        <Activity Id="e"
           Name="x > y"><Event><EndEvent Result="None"/></Event></Activity>
      </Activities>
      <Transitions>
        <Transition Id="t" From="s" To="nowhere"/>
        <Transition Id="t2" From="s" To="e"><Description><![CDATA[<Transition>]]></Description>
        </Transition>
      </Transitions>
      <Bogus/>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>"""


def _line_of(text: str, fragment: str) -> int:
    [number] = [i for i, line in enumerate(text.split("\n"), 1) if fragment in line]
    return number


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16"])
def test_findings_past_line_65535_name_the_line_they_are_about(encoding: str) -> None:
    text = _document(encoding)
    package = load_xpdl(text.encode(encoding.lower()))
    found = {d.code: d.line for d in validate(package) if d.code != "schema-violation"}
    assert found["dangling-transition"] == _line_of(text, 'To="nowhere"') > 70_000
    # an element's line is where its start tag begins, as below the limit
    assert package.process("wp").activity("e").line == _line_of(text, '<Activity Id="e"')
    schema = [d.line for d in package.load_diagnostics if "Bogus" in d.message]
    assert schema == [_line_of(text, "<Bogus/>")]


def test_a_schema_finding_past_the_limit_with_no_element_to_ask_has_no_line() -> None:
    package = load_xpdl(_document().encode())
    keyref = [d for d in package.load_diagnostics if "nowhere" in d.message]
    assert keyref and all(d.line is None for d in keyref)  # not libxml2's "65535"


def test_the_lines_of_a_short_document_are_libxml2s_and_cost_no_scan() -> None:
    data = _document(padding=10).encode()
    assert exact_lines(data, parse_xml(data)) == {}
    package = load_xpdl(data)
    [dangling] = [d for d in validate(package) if d.code == "dangling-transition"]
    assert dangling.line == _line_of(_document(padding=10), 'To="nowhere"')
