"""A start tag broken over lines (attributes one to a line, as tools and people write them) is
at the line it begins on. Before, findings about it named the line of its closing ``>``
(libxml2's): a ``Transition`` whose ``To`` on its first line was wrong was reported two lines
below it."""

from __future__ import annotations

import pytest

from wfengine import load_xpdl, validate

_DOC = """<?xml version="1.0" encoding="{encoding}"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p" Name="P">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor><Created>2024</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="wp" Name="a &gt; b">
      <ProcessHeader/><!-- <Activity Id="no"
        > --><?pi <x
        > ?>
      <Activities>
        <Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
        <Activity Id="e"
           Name="x > y"
           Description="the end"><Event><EndEvent Result="None"/></Event></Activity>
      </Activities>
      <Transitions>
        <Transition Id="t" From="s" To="nowhere"
                    Name="long"
                    Description="to the manager"/>
        <Transition Id="t2" From="s" To="e"><Description><![CDATA[<Transition
        >]]></Description>
        </Transition>
      </Transitions>
      <Bogus
        />
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""


def _line_of(text: str, fragment: str) -> int:
    [number] = [i for i, line in enumerate(text.split("\n"), 1) if fragment in line]
    return number


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_an_element_whose_start_tag_is_broken_over_lines_is_at_its_first(
    encoding: str, newline: str
) -> None:
    text = _DOC.format(encoding=encoding)
    package = load_xpdl(text.replace("\n", newline).encode(encoding.lower()))
    found = {d.code: d.line for d in validate(package) if d.code != "schema-violation"}
    assert found["dangling-transition"] == _line_of(text, 'To="nowhere"')
    process = package.process("wp")
    assert process.activity("e").line == _line_of(text, '<Activity Id="e"')
    # a tag on one line is where it was; the schema's finding on a broken one is at its start
    assert process.activity("s").line == _line_of(text, '<Activity Id="s"')
    schema = [d.line for d in package.load_diagnostics if "Bogus" in d.message]
    assert schema == [_line_of(text, "<Bogus")]
