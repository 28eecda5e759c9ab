"""Elements inside an ActualParameter or a DeadlineDuration (XPDL's ExpressionType admits any
element beside the text). The expression is the text around them, never their text run into
it; a vendor's element is kept, and a DeadlineDuration's stays inside it when written."""

from __future__ import annotations

import pytest
from lxml import etree

from wfengine import dump_xpdl, load_xpdl
from wfengine.definition.model import Package, TaskImplementation
from wfengine.definition.xpdl.schema import check_schema

NOTES = "http://vendor.example/notes"


def _doc(actual: str, duration: str, *, version: str = "2.2") -> bytes:
    ns = {
        "2.1": "http://www.wfmc.org/2008/XPDL2.1",
        "2.2": "http://www.wfmc.org/2009/XPDL2.2",
    }[version]
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
      <Applications>
        <Application Id="pay"><FormalParameters>
          <FormalParameter Id="n" Mode="IN"><DataType><BasicType Type="INTEGER"/></DataType>
          </FormalParameter></FormalParameters></Application>
      </Applications>
      <Activities>
        <Activity Id="call">
          <Implementation><Task><TaskApplication Id="pay">
            <ActualParameters><ActualParameter>{actual}</ActualParameter></ActualParameters>
          </TaskApplication></Task></Implementation>
          <Deadline><DeadlineDuration>{duration}</DeadlineDuration>
            <ExceptionName>late</ExceptionName></Deadline>
        </Activity>
      </Activities>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>""".encode()


def _read(package: Package) -> tuple[str, str | None]:
    activity = package.process("wp").activity("call")
    assert isinstance(activity.body, TaskImplementation)
    [call] = activity.body.tools
    [actual] = call.actual_parameters
    [deadline] = activity.deadlines
    return actual, deadline.duration


NOTE = "<v:Note>in EUR</v:Note>"


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (f"amount * 2{NOTE}", "amount * 2"),
        (f"amount {NOTE} * 2", "amount  * 2"),
        (f"<FormalExpression>amount{NOTE}</FormalExpression>", "amount"),
        ("<Expression>amount + 1</Expression>", "amount + 1"),
        (f"<FormalExpression>amount</FormalExpression>{NOTE}", "amount"),
    ],
    ids=["text-then-note", "note-inside-text", "inside-formal", "expression-child", "beside"],
)
def test_an_actual_parameters_expression_is_the_text_around_elements_not_theirs(
    actual: str, expected: str
) -> None:
    package = load_xpdl(_doc(actual, "PT1H"))
    assert _read(package)[0] == expected


def test_a_vendors_element_in_an_actual_parameter_is_kept_with_the_call() -> None:
    package = load_xpdl(_doc(f"amount{NOTE}", "PT1H"))
    activity = package.process("wp").activity("call")
    assert isinstance(activity.body, TaskImplementation)
    [call] = activity.body.tools
    assert [(n.tag, n.text) for n in call.extras] == [(f"{{{NOTES}}}Note", "in EUR")]
    assert any("kept with the call" in d.message for d in package.load_diagnostics)
    again = load_xpdl(dump_xpdl(package))
    assert _read(again)[0] == "amount"


def test_a_second_source_is_not_read_into_the_first() -> None:
    package = load_xpdl(_doc("<Source>amount</Source><Source>other</Source>", "PT1H"))
    assert _read(package)[0] == "amount"
    assert any("a second expression" in d.message for d in package.load_diagnostics)


def test_a_deadline_duration_is_the_text_around_a_vendors_note_which_stays_inside_it() -> None:
    package = load_xpdl(_doc("amount", f"PT1H{NOTE}", version="2.1"))
    assert _read(package)[1] == "PT1H"
    [deadline] = package.process("wp").activity("call").deadlines
    assert [n.text for n in deadline.duration_extras] == ["in EUR"]
    written = dump_xpdl(package)
    root = etree.fromstring(written)
    [duration] = root.iter("{*}DeadlineDuration")
    assert duration.text == "PT1H"
    assert [c.text for c in duration] == ["in EUR"]
    again = load_xpdl(written)
    assert again == package
    assert check_schema(root.getroottree(), "2.2") == []
