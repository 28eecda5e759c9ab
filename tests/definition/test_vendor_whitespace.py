"""Blank text inside vendor content is kept where it is content: under xml:space="preserve"
and in mixed content (text beside elements), and the writer does not indent inside such
elements. It was dropped as indentation ('Dear customer,' came back as
'\\n            Dear\\n            customer,')."""

from __future__ import annotations

import pytest
from lxml import etree

from wfengine import dump_xpdl
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


def _text(data: bytes, local: str) -> str:
    found = etree.fromstring(data).find(f".//{{urn:vendor}}{local}")
    assert found is not None
    return "".join(found.itertext())


@pytest.mark.parametrize(
    ("content", "local", "text"),
    [
        (
            '<v:text xml:space="preserve"><v:b>Dear</v:b> <v:i>customer</v:i>,</v:text>',
            "text",
            "Dear customer,",
        ),
        (  # mixed content: the space between two words is one
            "<v:p><v:b>Dear</v:b> <v:i>customer</v:i>, welcome</v:p>",
            "p",
            "Dear customer, welcome",
        ),
        (  # preserved from an element above
            '<v:doc xml:space="preserve"><v:line><v:b>a</v:b> <v:i>b</v:i></v:line></v:doc>',
            "line",
            "a b",
        ),
    ],
    ids=["xml-space", "mixed", "inherited"],
)
def test_blank_text_that_is_content_is_kept_and_written_as_it_was(
    content: str, local: str, text: str
) -> None:
    source = _package(content)
    pkg = read_package(source, schema=False)
    assert pkg.load_diagnostics == ()
    written = dump_xpdl(pkg)
    assert _text(source, local) == _text(written, local) == text
    again = read_package(written, schema=False)
    assert again.process("w") == pkg.process("w")
    assert dump_xpdl(again) == written


def test_indentation_between_vendor_elements_is_still_not_content() -> None:
    pkg = read_package(
        _package("<v:form>\n      <v:field/>\n      <v:field/>\n    </v:form>"), schema=False
    )
    (form,) = pkg.process("w").extended_attributes[0].content
    assert form.text is None and [f.tail for f in form.children] == [None, None]
