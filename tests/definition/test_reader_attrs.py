"""Attributes tools add to XPDL elements are kept on the model node they belong to.

Each of these used to be reported as ``xpdl-unreadable`` and lost; the model now has a place
for them, and a document using them reads without any finding.
"""

from __future__ import annotations

import pytest

from wfengine.definition.model import (
    BasicType,
    DeclaredType,
    ExternalReference,
    MultiInstanceLoop,
    Package,
    StandardLoop,
    TaskImplementation,
)
from wfengine.definition.xpdl.reader import read_package

NS22 = "http://www.wfmc.org/2009/XPDL2.2"

DOC = f"""<?xml version="1.0"?>
<Package xmlns="{NS22}" xmlns:v="urn:v" Id="p">
  <PackageHeader v:Language="en_GB"><XPDLVersion>2.2</XPDLVersion></PackageHeader>
  <RedefinableHeader PublicationStatus="RELEASED" v:state="draft"/>
  <ConformanceClass GraphConformance="NON_BLOCKED" v:level="3"/>
  <Script Type="text/python" v:dialect="py3"/>
  <ExternalPackages>
    <ExternalPackage Id="lib" Name="Library"/>
  </ExternalPackages>
  <TypeDeclarations>
    <TypeDeclaration Id="basic"><BasicType Type="STRING" v:format="email"/></TypeDeclaration>
    <TypeDeclaration Id="declared">
      <DeclaredType Id="basic" Name="Basic" v:alias="b"/>
    </TypeDeclaration>
    <TypeDeclaration Id="ext">
      <ExternalReference location="urn:schema" xref="T" v:cache="no"/>
    </TypeDeclaration>
  </TypeDeclarations>
  <WorkflowProcesses>
    <WorkflowProcess Id="w">
      <ProcessHeader/>
      <Activities>
        <Activity Id="a">
          <Implementation>
            <Task>
              <TaskApplication Id="app">
                <ExtendedAttributes>
                  <ExtendedAttribute Name="timeout" Value="30"/>
                </ExtendedAttributes>
              </TaskApplication>
            </Task>
          </Implementation>
          <Deadline Execution="ASYNCHR" v:escalate="yes">
            <DeadlineDuration ScriptType="text/python">3600</DeadlineDuration>
            <ExceptionName>late</ExceptionName>
          </Deadline>
          <Loop LoopType="Standard">
            <LoopStandard LoopCondition="n &lt; 3" v:mode="fast"/>
          </Loop>
        </Activity>
        <Activity Id="b">
          <Loop LoopType="MultiInstance">
            <LoopMultiInstance MI_Ordering="Sequential" v:batch="5">
              <MI_Condition>items</MI_Condition>
            </LoopMultiInstance>
          </Loop>
        </Activity>
      </Activities>
      <Transitions>
        <Transition Id="t" From="a" To="b">
          <Condition Type="CONDITION" v:weight="2">
            <Expression ScriptGrammar="urn:g" ScriptType="text/python" ScriptVersion="3"
              >n &gt; 1</Expression>
          </Condition>
        </Transition>
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""


@pytest.fixture(scope="module")
def pkg() -> Package:
    return read_package(DOC.encode(), schema=False)


def test_nothing_is_reported_lost(pkg: Package) -> None:
    assert pkg.load_diagnostics == ()


def test_header_conformance_and_script_attributes(pkg: Package) -> None:
    assert pkg.header.extra_attrs == (("{urn:v}Language", "en_GB"),)
    assert pkg.redefinable_header is not None
    assert pkg.redefinable_header.publication_status == "RELEASED"
    assert pkg.redefinable_header.extra_attrs == (("{urn:v}state", "draft"),)
    assert pkg.conformance_class is not None
    assert pkg.conformance_class.graph_conformance == "NON_BLOCKED"
    assert pkg.conformance_class.extra_attrs == (("{urn:v}level", "3"),)
    assert pkg.script is not None and pkg.script.type == "text/python"
    assert pkg.script.extra_attrs == (("{urn:v}dialect", "py3"),)


def test_external_package_without_href(pkg: Package) -> None:
    (lib,) = pkg.external_packages
    assert (lib.href, lib.id, lib.name) == (None, "lib", "Library")


def test_data_type_attributes(pkg: Package) -> None:
    basic, declared, ext = (t.data_type for t in pkg.type_declarations)
    assert isinstance(basic, BasicType)
    assert basic.extra_attrs == (("{urn:v}format", "email"),)
    assert isinstance(declared, DeclaredType)
    assert (declared.id, declared.name) == ("basic", "Basic")
    assert declared.extra_attrs == (("{urn:v}alias", "b"),)
    assert isinstance(ext, ExternalReference)
    assert (ext.location, ext.xref) == ("urn:schema", "T")
    assert ext.extra_attrs == (("{urn:v}cache", "no"),)


def test_task_application_extended_attributes(pkg: Package) -> None:
    body = pkg.process().activity("a").body
    assert isinstance(body, TaskImplementation)
    (call,) = body.tools
    assert [(e.name, e.value) for e in call.extended_attributes] == [("timeout", "30")]
    assert call.extras == ()


def test_deadline_and_its_duration_attributes(pkg: Package) -> None:
    (deadline,) = pkg.process().activity("a").deadlines
    assert deadline.duration == "3600"
    assert deadline.exception_name == "late"
    assert deadline.extra_attrs == (("{urn:v}escalate", "yes"),)
    assert deadline.duration_attrs == (("ScriptType", "text/python"),)


def test_loop_attributes(pkg: Package) -> None:
    std = pkg.process().activity("a").loop
    assert isinstance(std, StandardLoop) and std.condition == "n < 3"
    assert std.extra_attrs == (("{urn:v}mode", "fast"),)
    mi = pkg.process().activity("b").loop
    assert isinstance(mi, MultiInstanceLoop) and mi.mi_condition == "items"
    assert mi.extra_attrs == (("{urn:v}batch", "5"),)


def test_condition_and_expression_attributes(pkg: Package) -> None:
    (t,) = pkg.process().transitions
    assert t.condition is not None and t.condition.expression == "n > 1"
    assert t.condition.extra_attrs == (("{urn:v}weight", "2"),)
    assert t.condition.expression_attrs == (
        ("ScriptGrammar", "urn:g"),
        ("ScriptType", "text/python"),
        ("ScriptVersion", "3"),
    )


def test_xpdl10_deadline_condition_attributes_are_kept() -> None:
    doc = b"""<Package xmlns="http://www.wfmc.org/2002/XPDL1.0" xmlns:v="urn:v" Id="p">
      <PackageHeader/><WorkflowProcesses><WorkflowProcess Id="w"><ProcessHeader/>
        <Activities><Activity Id="a">
          <Deadline><DeadlineCondition v:unit="s">10</DeadlineCondition></Deadline>
        </Activity></Activities>
      </WorkflowProcess></WorkflowProcesses></Package>"""
    pkg = read_package(doc, schema=False)
    (deadline,) = pkg.process().activity("a").deadlines
    assert (deadline.duration, deadline.duration_attrs) == ("10", (("{urn:v}unit", "s"),))
    assert pkg.load_diagnostics == ()
