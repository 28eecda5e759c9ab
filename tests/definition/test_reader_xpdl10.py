"""XPDL 1.0 constructs map onto the one model the engine runs."""

from __future__ import annotations

import pytest

from wfengine.definition.model import (
    ArrayType,
    BasicType,
    BasicTypeKind,
    BlockActivity,
    ConditionType,
    DeclaredType,
    EnumerationType,
    Execution,
    GatewayType,
    ListType,
    Mode,
    NoImplementation,
    Package,
    ParameterMode,
    ParticipantKind,
    RecordType,
    Route,
    SchemaType,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
    UnionType,
)
from wfengine.definition.xpdl.reader import read_package

XPDL10 = b"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2002/XPDL1.0" Id="pkg10" Name="One Oh">
  <PackageHeader>
    <XPDLVersion>1.0</XPDLVersion>
    <Vendor>tests</Vendor>
    <Created>2002-10-25</Created>
    <CostUnit>EUR</CostUnit>
  </PackageHeader>
  <RedefinableHeader PublicationStatus="RELEASED">
    <Author>Ann</Author>
    <Version>3</Version>
    <Countrykey>NZ</Countrykey>
    <Responsibles>
      <Responsible>boss</Responsible>
      <Responsible>clerk</Responsible>
    </Responsibles>
  </RedefinableHeader>
  <ConformanceClass GraphConformance="NON_BLOCKED"/>
  <Script Type="text/python" Version="3"/>
  <ExternalPackages>
    <ExternalPackage href="other.xpdl"/>
  </ExternalPackages>
  <TypeDeclarations>
    <TypeDeclaration Id="Rec" Name="Record">
      <RecordType>
        <Member><BasicType Type="STRING"/></Member>
        <Member><DeclaredType Id="Colour"/></Member>
      </RecordType>
    </TypeDeclaration>
    <TypeDeclaration Id="Colour">
      <EnumerationType>
        <EnumerationValue Name="red"/>
        <EnumerationValue Name="green"/>
      </EnumerationType>
    </TypeDeclaration>
    <TypeDeclaration Id="Either">
      <UnionType>
        <Member><BasicType Type="INTEGER"/></Member>
        <Member><BasicType Type="FLOAT"/></Member>
      </UnionType>
    </TypeDeclaration>
    <TypeDeclaration Id="Many">
      <ArrayType LowerIndex="0" UpperIndex="9"><BasicType Type="BOOLEAN"/></ArrayType>
    </TypeDeclaration>
    <TypeDeclaration Id="Seq">
      <ListType><BasicType Type="DATETIME"/></ListType>
    </TypeDeclaration>
    <TypeDeclaration Id="Xsd">
      <SchemaType><xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"/></SchemaType>
    </TypeDeclaration>
    <TypeDeclaration Id="Ext">
      <ExternalReference location="http://example.com/o.xsd" xref="Order" namespace="urn:o"/>
    </TypeDeclaration>
  </TypeDeclarations>
  <Participants>
    <Participant Id="clerk" Name="Clerk">
      <ParticipantType Type="ROLE"/>
      <Description>does the work</Description>
    </Participant>
    <Participant Id="db"><ParticipantType Type="SYSTEM"/></Participant>
  </Participants>
  <Applications>
    <Application Id="mail" Name="Send mail">
      <Description>sends it</Description>
      <FormalParameters>
        <FormalParameter Id="to" Mode="IN" Index="0">
          <DataType><BasicType Type="STRING"/></DataType>
          <Description>recipient</Description>
        </FormalParameter>
        <FormalParameter Id="ok" Mode="OUT">
          <DataType><BasicType Type="BOOLEAN"/></DataType>
        </FormalParameter>
      </FormalParameters>
    </Application>
    <Application Id="legacy">
      <ExternalReference location="http://example.com/legacy.wsdl"/>
    </Application>
  </Applications>
  <DataFields>
    <DataField Id="limit" Name="Limit" IsArray="FALSE">
      <DataType><BasicType Type="INTEGER"/></DataType>
      <InitialValue>100</InitialValue>
      <Length>4</Length>
    </DataField>
    <DataField Id="names" IsArray="TRUE">
      <DataType><DeclaredType Id="Rec"/></DataType>
    </DataField>
  </DataFields>
  <WorkflowProcesses>
    <WorkflowProcess Id="main" Name="Main" AccessLevel="PUBLIC">
      <ProcessHeader DurationUnit="D">
        <Created>2002-10-25</Created>
        <Description>the main process</Description>
        <Priority>1</Priority>
        <Limit>10</Limit>
        <ValidFrom>2002-01-01</ValidFrom>
        <ValidTo>2099-01-01</ValidTo>
        <TimeEstimation>
          <WaitingTime>1</WaitingTime>
          <WorkingTime>2</WorkingTime>
          <Duration>3</Duration>
        </TimeEstimation>
      </ProcessHeader>
      <FormalParameters>
        <FormalParameter Id="input" Mode="INOUT">
          <DataType><BasicType Type="STRING"/></DataType>
        </FormalParameter>
      </FormalParameters>
      <DataFields>
        <DataField Id="approved">
          <DataType><BasicType Type="BOOLEAN"/></DataType>
        </DataField>
      </DataFields>
      <Participants>
        <Participant Id="boss"><ParticipantType Type="HUMAN"/></Participant>
      </Participants>
      <Applications>
        <Application Id="local"><FormalParameters/></Application>
      </Applications>
      <ActivitySets>
        <ActivitySet Id="set1">
          <Activities>
            <Activity Id="inner1"><Implementation><No/></Implementation></Activity>
            <Activity Id="inner2"><Route/></Activity>
          </Activities>
          <Transitions>
            <Transition Id="it1" From="inner1" To="inner2"/>
          </Transitions>
        </ActivitySet>
      </ActivitySets>
      <Activities>
        <Activity Id="split" Name="Decide">
          <Route/>
          <TransitionRestrictions>
            <TransitionRestriction>
              <Split Type="XOR">
                <TransitionRefs>
                  <TransitionRef Id="t3"/>
                  <TransitionRef Id="t1"/>
                  <TransitionRef Id="t2"/>
                </TransitionRefs>
              </Split>
            </TransitionRestriction>
          </TransitionRestrictions>
        </Activity>
        <Activity Id="send" Name="Send">
          <Description>mail it</Description>
          <Limit>5</Limit>
          <Implementation>
            <Tool Id="mail" Type="APPLICATION">
              <ActualParameters>
                <ActualParameter>input</ActualParameter>
                <ActualParameter></ActualParameter>
                <ActualParameter>approved</ActualParameter>
              </ActualParameters>
              <Description>call mail</Description>
            </Tool>
            <Tool Id="local" Type="PROCEDURE"/>
          </Implementation>
          <Performer>clerk</Performer>
          <StartMode><Automatic/></StartMode>
          <FinishMode><Manual/></FinishMode>
          <Priority>2</Priority>
          <Deadline Execution="ASYNCHR">
            <DeadlineCondition>limit * 2</DeadlineCondition>
            <ExceptionName>late</ExceptionName>
          </Deadline>
          <Deadline Execution="SYNCHR">
            <DeadlineCondition>limit * 3</DeadlineCondition>
            <ExceptionName>very_late</ExceptionName>
          </Deadline>
          <TransitionRestrictions>
            <TransitionRestriction>
              <Join Type="AND"/>
            </TransitionRestriction>
          </TransitionRestrictions>
        </Activity>
        <Activity Id="call">
          <Implementation>
            <SubFlow Id="sub" Execution="ASYNCHR">
              <ActualParameters><ActualParameter>input</ActualParameter></ActualParameters>
            </SubFlow>
          </Implementation>
        </Activity>
        <Activity Id="block"><BlockActivity BlockId="set1"/></Activity>
        <Activity Id="join">
          <Route/>
          <TransitionRestrictions>
            <TransitionRestriction><Join Type="XOR"/></TransitionRestriction>
            <TransitionRestriction><Split Type="AND"/></TransitionRestriction>
          </TransitionRestrictions>
        </Activity>
      </Activities>
      <Transitions>
        <Transition Id="t1" From="split" To="send" Name="yes">
          <Condition Type="CONDITION">approved == True</Condition>
        </Transition>
        <Transition Id="t2" From="split" To="call">
          <Condition Type="OTHERWISE"/>
        </Transition>
        <Transition Id="t3" From="split" To="block">
          <Condition Type="CONDITION"><Xpression>limit &gt; 10</Xpression></Condition>
          <Description>big</Description>
        </Transition>
        <Transition Id="t4" From="send" To="join"/>
      </Transitions>
      <ExtendedAttributes>
        <ExtendedAttribute Name="JaWE_GRAPH_WORKFLOW_PARTICIPANT_ORDER" Value="clerk;boss"/>
      </ExtendedAttributes>
    </WorkflowProcess>
    <WorkflowProcess Id="sub"><ProcessHeader/></WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""


@pytest.fixture(scope="module")
def pkg() -> Package:
    return read_package(XPDL10, source="one.xpdl")


def test_the_sample_is_schema_valid_1_0_and_reads_without_findings(pkg: Package) -> None:
    assert pkg.source_version == "1.0"
    assert pkg.load_diagnostics == ()


def test_package_header_and_redefinable_header(pkg: Package) -> None:
    assert (pkg.id, pkg.name) == ("pkg10", "One Oh")
    assert pkg.header.xpdl_version == "1.0"
    assert pkg.header.cost_unit == "EUR"
    rh = pkg.redefinable_header
    assert rh is not None
    assert (rh.author, rh.version, rh.country_key) == ("Ann", "3", "NZ")
    assert rh.responsibles == ("boss", "clerk")
    assert rh.publication_status == "RELEASED"
    assert pkg.conformance_class is not None
    assert pkg.conformance_class.graph_conformance == "NON_BLOCKED"
    assert pkg.script is not None and pkg.script.type == "text/python"
    assert pkg.external_packages[0].href == "other.xpdl"


def test_type_declarations_cover_every_data_type(pkg: Package) -> None:
    types = {t.id: t.data_type for t in pkg.type_declarations}
    rec = types["Rec"]
    assert isinstance(rec, RecordType)
    assert rec.members == (BasicType(type=BasicTypeKind.STRING), DeclaredType(id="Colour"))
    assert types["Colour"] == EnumerationType(values=("red", "green"))
    assert isinstance(types["Either"], UnionType) and len(types["Either"].members) == 2
    many = types["Many"]
    assert isinstance(many, ArrayType)
    assert (many.lower_index, many.upper_index) == ("0", "9")
    assert many.element == BasicType(type=BasicTypeKind.BOOLEAN)
    assert types["Seq"] == ListType(element=BasicType(type=BasicTypeKind.DATETIME))
    xsd = types["Xsd"]
    assert isinstance(xsd, SchemaType)
    assert xsd.content[0].tag == "{http://www.w3.org/2001/XMLSchema}schema"
    ext = types["Ext"]
    assert ext.kind == "external"
    assert (ext.location, ext.xref, ext.namespace) == ("http://example.com/o.xsd", "Order", "urn:o")


def test_participants_and_applications(pkg: Package) -> None:
    clerk, db = pkg.participants
    assert (clerk.id, clerk.name, clerk.type) == ("clerk", "Clerk", ParticipantKind.ROLE)
    assert clerk.description == "does the work"
    assert db.type is ParticipantKind.SYSTEM
    mail, legacy = pkg.applications
    to, ok = mail.formal_parameters
    assert (to.id, to.mode, to.index, to.description) == ("to", ParameterMode.IN, "0", "recipient")
    assert ok.mode is ParameterMode.OUT
    assert legacy.external_reference is not None
    assert legacy.external_reference.location == "http://example.com/legacy.wsdl"


def test_data_fields_read_upper_case_is_array(pkg: Package) -> None:
    limit, names = pkg.data_fields
    assert limit.is_array is False
    assert (limit.initial_value, limit.length) == ("100", "4")
    assert names.is_array is True
    assert names.data_type == DeclaredType(id="Rec")


def test_process_parts_in_1_0_order(pkg: Package) -> None:
    proc = pkg.process("main")
    assert proc.access_level == "PUBLIC"
    h = proc.header
    assert (h.created, h.priority, h.limit, h.duration_unit) == ("2002-10-25", "1", "10", "D")
    assert (h.valid_from, h.valid_to) == ("2002-01-01", "2099-01-01")
    assert (h.waiting_time, h.working_time, h.duration) == ("1", "2", "3")
    assert [p.id for p in proc.formal_parameters] == ["input"]
    assert proc.formal_parameters[0].mode is ParameterMode.INOUT
    assert [d.id for d in proc.data_fields] == ["approved"]
    assert [p.id for p in proc.participants] == ["boss"]
    assert [a.id for a in proc.applications] == ["local"]
    assert [a.id for a in proc.activities] == ["split", "send", "call", "block", "join"]
    assert [t.id for t in proc.transitions] == ["t1", "t2", "t3", "t4"]
    assert proc.extended_attribute("JaWE_GRAPH_WORKFLOW_PARTICIPANT_ORDER") == "clerk;boss"


def test_xor_split_keeps_transition_ref_order(pkg: Package) -> None:
    split = pkg.process("main").activity("split")
    assert isinstance(split.body, Route)
    assert split.body.gateway_type is None  # 1.0 Route says nothing; the split decides
    assert split.split is not None
    assert split.split.type is GatewayType.EXCLUSIVE
    assert split.split.transition_refs == ("t3", "t1", "t2")
    assert split.join is None


def test_and_join_and_tool_implementation(pkg: Package) -> None:
    send = pkg.process("main").activity("send")
    assert send.join is not None and send.join.type is GatewayType.PARALLEL
    assert (send.description, send.limit, send.priority) == ("mail it", "5", "2")
    body = send.body
    assert isinstance(body, TaskImplementation)
    assert body.task is TaskKind.APPLICATION
    mail, local = body.tools
    assert mail.application_id == "mail"
    assert mail.tool_type == "APPLICATION"
    # an empty actual parameter keeps its position
    assert mail.actual_parameters == ("input", "", "approved")
    assert mail.description == "call mail"
    assert (local.application_id, local.tool_type) == ("local", "PROCEDURE")


def test_single_performer_and_start_finish_mode_elements(pkg: Package) -> None:
    send = pkg.process("main").activity("send")
    assert send.performers == ("clerk",)
    assert send.start_mode is Mode.AUTOMATIC
    assert send.finish_mode is Mode.MANUAL


def test_every_deadline_condition_is_kept(pkg: Package) -> None:
    deadlines = pkg.process("main").activity("send").deadlines
    assert [(d.duration, d.execution, d.exception_name) for d in deadlines] == [
        ("limit * 2", Execution.ASYNCHR, "late"),
        ("limit * 3", Execution.SYNCHR, "very_late"),
    ]


def test_subflow_and_block_activity(pkg: Package) -> None:
    proc = pkg.process("main")
    call = proc.activity("call").body
    assert isinstance(call, SubFlowImplementation)
    assert (call.process_id, call.execution, call.actual_parameters) == (
        "sub",
        Execution.ASYNCHR,
        ("input",),
    )
    block = proc.activity("block").body
    assert isinstance(block, BlockActivity) and block.activity_set_id == "set1"
    aset = proc.activity_set("set1")
    assert [a.id for a in aset.activities] == ["inner1", "inner2"]
    assert isinstance(aset.activities[0].body, NoImplementation)
    assert [(t.from_, t.to) for t in aset.transitions] == [("inner1", "inner2")]


def test_join_and_split_from_separate_restrictions(pkg: Package) -> None:
    join = pkg.process("main").activity("join")
    assert join.join is not None and join.join.type is GatewayType.EXCLUSIVE
    assert join.split is not None and join.split.type is GatewayType.PARALLEL


def test_conditions_text_xpression_and_otherwise(pkg: Package) -> None:
    t1, t2, t3, t4 = pkg.process("main").transitions
    assert t1.condition is not None
    assert (t1.condition.type, t1.condition.expression) == (
        ConditionType.CONDITION,
        "approved == True",
    )
    assert t1.name == "yes"
    assert t2.condition is not None
    assert (t2.condition.type, t2.condition.expression) == (ConditionType.OTHERWISE, None)
    assert t3.condition is not None and t3.condition.expression == "limit > 10"
    assert t3.description == "big"
    assert t4.condition is None


def test_every_node_has_its_line(pkg: Package) -> None:
    proc = pkg.process("main")
    send = proc.activity("send")
    assert proc.line is not None and send.line is not None and send.line > proc.line
    assert all(d.line for d in send.deadlines)
    assert send.join is not None and send.join.line
    assert all(t.line for t in proc.transitions)
    assert all(p.line for p in pkg.participants)
    assert all(t.line for t in pkg.type_declarations)


def _and_split_package(ns: str, conditions: tuple[str, str], *, in_set: bool = False) -> Package:
    """One AND split ``s`` with transitions to ``x`` and ``y`` carrying ``conditions``."""
    body = f"""
      <Activities>
        <Activity Id="s"><Route/>
          <TransitionRestrictions>
            <TransitionRestriction><Split Type="AND"/></TransitionRestriction>
          </TransitionRestrictions>
        </Activity>
        <Activity Id="x"/><Activity Id="y"/>
      </Activities>
      <Transitions>
        <Transition Id="tx" From="s" To="x">{conditions[0]}</Transition>
        <Transition Id="ty" From="s" To="y">{conditions[1]}</Transition>
      </Transitions>"""
    if in_set:
        body = f'<ActivitySets><ActivitySet Id="set">{body}</ActivitySet></ActivitySets>'
    doc = f"""<Package xmlns="{ns}" Id="p"><PackageHeader/><WorkflowProcesses>
      <WorkflowProcess Id="w"><ProcessHeader/>{body}</WorkflowProcess>
      </WorkflowProcesses></Package>"""
    return read_package(doc.encode(), schema=False)


def _split_type(pkg: Package) -> GatewayType:
    split = pkg.process().activity("s").split
    assert split is not None
    return split.type


NS10 = "http://www.wfmc.org/2002/XPDL1.0"
_CONDITIONED = '<Condition Type="CONDITION">go_x</Condition>'


@pytest.mark.parametrize(
    "conditions",
    [
        (_CONDITIONED, ""),
        (_CONDITIONED, '<Condition Type="CONDITION">go_y</Condition>'),
        ("<Condition>go_x</Condition>", ""),  # untyped but non-empty
        ('<Condition Type="CONDITION"><Xpression>go_x</Xpression></Condition>', ""),
        (_CONDITIONED, '<Condition Type="OTHERWISE"/>'),
    ],
)
def test_xpdl10_and_split_with_conditions_is_multi_choice(conditions: tuple[str, str]) -> None:
    # XPDL 1.0 / Shark follow every transition whose condition holds: Inclusive in 2.x terms
    assert _split_type(_and_split_package(NS10, conditions)) is GatewayType.INCLUSIVE


def test_xpdl10_and_split_in_an_activity_set_is_mapped_too() -> None:
    pkg = _and_split_package(NS10, (_CONDITIONED, ""), in_set=True)
    split = pkg.process().activity_set("set").activities[0].split
    assert split is not None and split.type is GatewayType.INCLUSIVE


@pytest.mark.parametrize(
    "conditions",
    [
        ("", ""),
        ('<Condition Type="OTHERWISE"/>', ""),
        ('<Condition Type="EXCEPTION">boom</Condition>', ""),
        ('<Condition Type="CONDITION"/>', "<Condition>  </Condition>"),  # nothing to evaluate
    ],
)
def test_xpdl10_and_split_without_conditions_stays_parallel(conditions: tuple[str, str]) -> None:
    assert _split_type(_and_split_package(NS10, conditions)) is GatewayType.PARALLEL


def test_xpdl2_and_split_with_conditions_stays_parallel() -> None:
    # 2.x says a Parallel split ignores conditions; that is the document's own meaning
    pkg = _and_split_package("http://www.wfmc.org/2008/XPDL2.1", (_CONDITIONED, ""))
    assert _split_type(pkg) is GatewayType.PARALLEL


def test_xpdl10_mapping_leaves_the_rest_of_the_split_alone() -> None:
    pkg = _and_split_package(NS10, (_CONDITIONED, ""))
    act = pkg.process().activity("s")
    assert act.split is not None and act.split.line is not None
    assert act.join is None
    assert pkg.load_diagnostics == ()
