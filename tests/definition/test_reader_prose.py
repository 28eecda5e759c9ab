"""Descriptions and Documentation are the author's prose: their text is kept exactly as
written (indentation, line breaks, leading and trailing spaces), so a file loaded and written
again says the same, and loading that file gives the same text once more."""

from __future__ import annotations

from lxml import etree

from wfengine import dump_xpdl, load_xpdl

XPDL = "http://www.wfmc.org/2009/XPDL2.2"
PROSE = "  Check the receipts:\n    - every line dated\n\n    - totals match\n  then sign.  "


def _doc(text: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="{XPDL}" Id="p" Name="P">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor><Created>2024</Created>
    <Description>{text}</Description><Documentation>{text}</Documentation>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="wp" Name="n">
      <ProcessHeader><Description>{text}</Description></ProcessHeader>
      <DataFields>
        <DataField Id="f"><DataType><BasicType Type="STRING"/></DataType>
          <Description>{text}</Description></DataField>
      </DataFields>
      <Activities>
        <Activity Id="s"><Description>{text}</Description>
          <Event><StartEvent Trigger="None"/></Event></Activity>
        <Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity>
      </Activities>
      <Transitions>
        <Transition Id="t" From="s" To="e"><Description>{text}</Description></Transition>
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>""".encode()


def _prose(package_bytes: bytes) -> list[str | None]:
    root = etree.fromstring(package_bytes)
    return [el.text for el in root.iter(f"{{{XPDL}}}Description", f"{{{XPDL}}}Documentation")]


def test_descriptions_keep_their_indentation_line_breaks_and_outer_spaces() -> None:
    package = load_xpdl(_doc(PROSE))
    process = package.process("wp")
    assert package.header.description == PROSE
    assert package.header.documentation == PROSE
    assert process.header is not None and process.header.description == PROSE
    assert process.activity("s").description == PROSE
    assert process.transitions[0].description == PROSE
    assert process.data_fields[0].description == PROSE


def test_a_written_file_holds_the_descriptions_as_the_source_did_and_reads_back_the_same() -> None:
    source = _doc(PROSE)
    package = load_xpdl(source)
    written = dump_xpdl(package)
    assert _prose(written) == _prose(source) == [PROSE] * 6
    again = load_xpdl(written)
    assert again == package
    assert dump_xpdl(again) == written
