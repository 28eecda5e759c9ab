"""Nothing is silently dropped: unknown content is kept as XML, unreadable parts are warned."""

from __future__ import annotations

from wfengine.definition.model import (
    XPDL22_NS,
    BlockActivity,
    Deadline,
    Execution,
    GatewayType,
    Join,
    Mode,
    Package,
    Split,
    SubFlowImplementation,
    TaskImplementation,
)
from wfengine.definition.xpdl.reader import read_package

NS10 = "http://www.wfmc.org/2002/XPDL1.0"
NS20 = "http://www.wfmc.org/2004/XPDL2.0alpha"
NS21 = "http://www.wfmc.org/2008/XPDL2.1"


def _package(ns: str, activities: str, extra_ns: str = "", header_extra: str = "") -> Package:
    doc = f"""<?xml version="1.0"?>
<Package xmlns="{ns}" {extra_ns} Id="p">
  <PackageHeader>
    <XPDLVersion>x</XPDLVersion><Vendor>v</Vendor><Created>c</Created>{header_extra}
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="proc">
      <ProcessHeader/>
      <Activities>
{activities}
      </Activities>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""
    return read_package(doc.encode(), schema=False)


def test_deprecated_elements_inside_2x_documents_are_read() -> None:
    pkg = _package(
        NS21,
        """
        <Activity Id="sub">
          <Implementation>
            <deprecated:SubFlow Id="child" Execution="SYNCHR">
              <deprecated:ActualParameters>
                <deprecated:ActualParameter>x</deprecated:ActualParameter>
              </deprecated:ActualParameters>
            </deprecated:SubFlow>
          </Implementation>
        </Activity>
        <Activity Id="tool">
          <Implementation><deprecated:Tool Id="app" Type="APPLICATION"/></Implementation>
          <deprecated:StartMode><deprecated:Automatic/></deprecated:StartMode>
          <deprecated:Deadline Execution="SYNCHR">
            <deprecated:DeadlineCondition>1 day</deprecated:DeadlineCondition>
            <deprecated:ExceptionName>late</deprecated:ExceptionName>
          </deprecated:Deadline>
        </Activity>
        <Activity Id="block"><deprecated:BlockActivity BlockId="set"/></Activity>
        """,
        extra_ns=f'xmlns:deprecated="{NS10}"',
    )
    proc = pkg.process()
    sub = proc.activity("sub").body
    assert isinstance(sub, SubFlowImplementation)
    assert (sub.process_id, sub.actual_parameters) == ("child", ("x",))
    tool = proc.activity("tool")
    assert isinstance(tool.body, TaskImplementation)
    assert tool.body.tools[0].application_id == "app"
    assert tool.start_mode is not None and tool.start_mode.value == "Automatic"
    assert tool.deadlines == (
        Deadline(duration="1 day", execution=Execution.SYNCHR, exception_name="late"),
    )
    block = proc.activity("block").body
    assert isinstance(block, BlockActivity) and block.activity_set_id == "set"
    assert pkg.namespaces == ()  # the deprecated prefix is XPDL, not a vendor namespace
    assert pkg.load_diagnostics == ()


def test_xpdl_2_0_process_ref_is_a_subflow() -> None:
    pkg = _package(
        NS20,
        """
        <Activity Id="call">
          <Implementation>
            <ProcessRef Id="child" Execution="ASYNCHR">
              <ActualParameters><ActualParameter>a</ActualParameter></ActualParameters>
            </ProcessRef>
          </Implementation>
        </Activity>
        """,
    )
    body = pkg.process().activity("call").body
    assert isinstance(body, SubFlowImplementation)
    assert (body.process_id, body.execution, body.actual_parameters) == (
        "child",
        Execution.ASYNCHR,
        ("a",),
    )


def test_unknown_xpdl_elements_are_kept_and_retagged_into_2_2() -> None:
    pkg = _package(
        NS10,
        """
        <Activity Id="a">
          <Icon>icon.png</Icon>
          <Documentation>docs</Documentation>
          <SimulationInformation Instantiation="ONCE"><Cost>5</Cost></SimulationInformation>
        </Activity>
        """,
    )
    extras = pkg.process().activity("a").extras
    assert [x.tag for x in extras] == [
        f"{{{XPDL22_NS}}}Icon",
        f"{{{XPDL22_NS}}}Documentation",
        f"{{{XPDL22_NS}}}SimulationInformation",
    ]
    assert extras[0].text == "icon.png"
    assert extras[2].children[0].tag == f"{{{XPDL22_NS}}}Cost"
    assert extras[2].get("Instantiation") == "ONCE"


def test_no_namespace_document_keeps_unknown_elements_in_2_2_namespace() -> None:
    doc = b"""<Package Id="p"><PackageHeader><XPDLVersion>1.0</XPDLVersion></PackageHeader>
      <Shiny colour="gold"><Inner/></Shiny></Package>"""
    pkg = read_package(doc)
    (shiny,) = pkg.extras
    assert shiny.tag == f"{{{XPDL22_NS}}}Shiny"
    assert shiny.children[0].tag == f"{{{XPDL22_NS}}}Inner"


def test_unprefixed_children_of_vendor_elements_stay_unqualified() -> None:
    doc = b"""<xpdl:Package xmlns:xpdl="http://www.wfmc.org/2002/XPDL1.0" xmlns:v="urn:v" Id="p">
      <v:ext><plain/></v:ext></xpdl:Package>"""
    pkg = read_package(doc, schema=False)
    (ext,) = pkg.extras
    assert ext.tag == "{urn:v}ext"
    assert ext.children[0].tag == "plain"
    assert pkg.namespaces == (("v", "urn:v"),)


def test_vendor_child_of_package_header_is_kept() -> None:
    pkg = _package(NS21, "", extra_ns='xmlns:t="urn:tool"', header_extra="<t:Build n='7'/>")
    (build,) = pkg.header.extras
    assert build.tag == "{urn:tool}Build"
    assert build.get("n") == "7"


def test_unreadable_activity_is_kept_as_xml_with_a_warning() -> None:
    pkg = _package(
        NS21,
        """
        <Activity Name="no id here"><Route/></Activity>
        <Activity Id="fine"/>
        """,
    )
    proc = pkg.process()
    assert [a.id for a in proc.activities] == ["fine"]
    (kept,) = proc.extras
    assert kept.tag == f"{{{XPDL22_NS}}}Activity"
    assert kept.get("Name") == "no id here"
    (warning,) = pkg.load_diagnostics
    assert warning.code == "xpdl-unreadable"
    assert "Activity" in warning.message and "Id" in warning.message
    assert warning.line == kept.line


def test_unreadable_participant_type_keeps_the_participant_as_xml() -> None:
    doc = f"""<Package xmlns="{NS21}" Id="p"><PackageHeader/>
      <Participants>
        <Participant Id="x"><ParticipantType Type="ALIEN"/></Participant>
      </Participants></Package>""".encode()
    pkg = read_package(doc, schema=False)
    assert pkg.participants == ()
    assert pkg.extras[0].get("Id") == "x"
    assert [d.code for d in pkg.load_diagnostics] == ["xpdl-unreadable"]


def test_attribute_without_a_place_in_the_model_is_warned_not_silently_lost() -> None:
    pkg = _package(
        NS21,
        """
        <Activity Id="a">
          <Description v:lang="en">held as a plain string</Description>
        </Activity>
        """,
        extra_ns='xmlns:v="urn:v"',
    )
    assert pkg.process().activity("a").description == "held as a plain string"
    (warning,) = pkg.load_diagnostics
    assert warning.code == "xpdl-unreadable"
    assert "{urn:v}lang" in warning.message


def test_unknown_enumeration_value_is_kept_as_attribute_with_a_warning() -> None:
    pkg = _package(NS21, '<Activity Id="a"><Route GatewayType="EventBased"/></Activity>')
    body = pkg.process().activity("a").body
    assert body.extra_attrs == (("GatewayType", "EventBased"),)
    assert [d.code for d in pkg.load_diagnostics] == ["xpdl-unreadable"]


def test_second_join_is_kept_as_xml() -> None:
    pkg = _package(
        NS10,
        """
        <Activity Id="a"><Route/>
          <TransitionRestrictions>
            <TransitionRestriction><Join Type="AND"/></TransitionRestriction>
            <TransitionRestriction><Join Type="XOR"/></TransitionRestriction>
          </TransitionRestrictions>
        </Activity>
        """,
    )
    act = pkg.process().activity("a")
    assert act.join is not None and act.join.type.value == "Parallel"
    assert [x.get("Type") for x in act.extras] == ["XOR"]
    assert [d.code for d in pkg.load_diagnostics] == ["xpdl-unreadable"]


def test_extended_attribute_text_content_is_text_not_value() -> None:
    pkg = _package(
        NS21,
        """
        <Activity Id="a">
          <ExtendedAttributes>
            <ExtendedAttribute Name="note">Push to &lt;Production&gt;</ExtendedAttribute>
            <ExtendedAttribute Name="both" Value="v">t</ExtendedAttribute>
            <ExtendedAttribute Name="mixed">lead<v:x/>after</ExtendedAttribute>
            <ExtendedAttribute Name="plain" Value="only">
            </ExtendedAttribute>
          </ExtendedAttributes>
        </Activity>
        """,
        extra_ns='xmlns:v="urn:v"',
    )
    note, both, mixed, plain = pkg.process().activity("a").extended_attributes
    assert (note.value, note.text) == (None, "Push to <Production>")
    assert (both.value, both.text) == ("v", "t")
    assert (mixed.value, mixed.text) == (None, "lead")
    (x,) = mixed.content
    assert (x.tag, x.tail) == ("{urn:v}x", "after")
    # whitespace is indentation, not text
    assert (plain.value, plain.text) == ("only", None)
    assert pkg.load_diagnostics == ()


def test_condition_text_beside_an_empty_expression_element() -> None:
    # as shoobx.wfmc writes it
    doc = f"""<Package xmlns="{NS21}" Id="p"><PackageHeader/><WorkflowProcesses>
      <WorkflowProcess Id="w"><ProcessHeader/>
        <Transitions>
          <Transition Id="t" From="a" To="b">
            <Condition Type="CONDITION">ed_changes<Expression/></Condition>
          </Transition>
        </Transitions>
      </WorkflowProcess></WorkflowProcesses></Package>""".encode()
    (t,) = read_package(doc, schema=False).process().transitions
    assert t.condition is not None and t.condition.expression == "ed_changes"


def test_an_enumeration_value_in_another_case_is_read_as_the_schema_spells_it() -> None:
    from wfengine import dump_xpdl

    pkg = _package(
        NS21,
        """
        <Activity Id="a" StartMode="automatic">
          <Route/>
          <TransitionRestrictions><TransitionRestriction>
            <Join Type="xor"/><Split Type="and"/>
          </TransitionRestriction></TransitionRestrictions>
        </Activity>
        """,
    )
    a = pkg.process().activity("a")
    assert (a.start_mode, a.join, a.split) == (
        Mode.AUTOMATIC,
        Join(type=GatewayType.EXCLUSIVE),
        Split(type=GatewayType.PARALLEL),
    )
    assert pkg.load_diagnostics == ()  # (the schema check names the spelling)
    written = dump_xpdl(pkg)
    assert b'Split Type="Parallel"' in written and b'Join Type="Exclusive"' in written
