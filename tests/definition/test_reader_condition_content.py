"""Elements inside a transition's ``<Expression>`` (XPDL's ExpressionType admits any element).

A vendor's note inside the expression is not part of the condition: the condition is the text
around it, and the note is carried over verbatim, inside the Expression, when the file is
written.
"""

from __future__ import annotations

from lxml import etree

from wfengine import Engine, VirtualClock, dump_xpdl, load_xpdl, validate
from wfengine.definition.model import Condition, Package, XmlNode
from wfengine.definition.xpdl.schema import check_schema

NOTES = "http://vendor.example/notes"
NOTE = "<v:Note>Reviewed by finance</v:Note>"


def _doc(expression: str, *, version: str = "2.2") -> bytes:
    if version == "1.0":
        ns, condition = "http://www.wfmc.org/2002/XPDL1.0", f"<Xpression>{expression}</Xpression>"
        start = '<Activity Id="s"><Implementation><No/></Implementation></Activity>'
        end = '<Activity Id="e"><Implementation><No/></Implementation></Activity>'
    else:
        ns, condition = "http://www.wfmc.org/2009/XPDL2.2", f"<Expression>{expression}</Expression>"
        start = '<Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>'
        end = '<Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity>'
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="{ns}" xmlns:v="{NOTES}" Id="p" Name="P">
  <PackageHeader><XPDLVersion>{version}</XPDLVersion><Vendor>v</Vendor><Created>2024</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="wp" Name="n">
      <ProcessHeader/>
      <DataFields>
        <DataField Id="amount"><DataType><BasicType Type="INTEGER"/></DataType></DataField>
      </DataFields>
      <Activities>{start}<Activity Id="big"><Route/></Activity>{end}</Activities>
      <Transitions>
        <Transition Id="t1" From="s" To="big"/>
        <Transition Id="t2" From="big" To="e">
          <Condition Type="CONDITION">{condition}</Condition>
        </Transition>
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>""".encode()


def _condition(package: Package) -> Condition:
    condition = package.process("wp").transitions[1].condition
    assert condition is not None
    return condition


def test_an_element_inside_the_expression_is_not_part_of_the_condition() -> None:
    package = load_xpdl(_doc(f"amount &gt; 500{NOTE}"))
    condition = _condition(package)
    assert condition.expression == "amount > 500"
    assert condition.expression_extras == (
        XmlNode(tag=f"{{{NOTES}}}Note", text="Reviewed by finance"),
    )
    assert package.load_diagnostics == ()
    assert [d.code for d in validate(package)] == []


def test_the_condition_is_the_text_around_the_element() -> None:
    condition = _condition(load_xpdl(_doc(f"amount &gt;{NOTE} 500")))
    assert condition.expression == "amount > 500"


def test_an_element_inside_a_10_xpression_is_kept_the_same_way() -> None:
    condition = _condition(load_xpdl(_doc(f"amount &gt; 500{NOTE}", version="1.0")))
    assert condition.expression == "amount > 500"
    assert [n.local_name for n in condition.expression_extras] == ["Note"]


def test_a_condition_with_a_vendor_note_decides_the_way() -> None:
    engine = Engine(clock=VirtualClock())
    engine.deploy(load_xpdl(_doc(f"amount &gt; 500{NOTE}")))
    taken = engine.start_process("wp", {"amount": 900})
    assert engine.trace(taken) == ["s", "big", "e"]


def test_converting_keeps_the_note_inside_the_expression_and_reads_back_the_same() -> None:
    package = load_xpdl(_doc(f"amount &gt; 500{NOTE}"))
    written = dump_xpdl(package)
    assert f"<Expression>amount &gt; 500{NOTE}".encode() in written
    again = load_xpdl(written)
    assert again == package
    assert dump_xpdl(again) == written
    assert check_schema(etree.ElementTree(etree.fromstring(written)), "2.2") == []
