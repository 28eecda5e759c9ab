"""XPDL 2.x constructs (BPMN-style gateways, events, tasks, loops) map onto the model."""

from __future__ import annotations

import pytest

from wfengine.definition.model import (
    XPDL22_NS,
    BasicType,
    BasicTypeKind,
    BlockActivity,
    Event,
    EventPosition,
    Execution,
    GatewayType,
    MIFlowCondition,
    MIOrdering,
    Mode,
    MultiInstanceLoop,
    Package,
    ParticipantKind,
    ReferenceImplementation,
    Route,
    StandardLoop,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
)
from wfengine.definition.model import (
    TestTime as LoopTestTime,
)
from wfengine.definition.xpdl.reader import read_package

XPDL22 = b"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" xmlns:v="urn:vendor" Id="pkg22">
  <PackageHeader>
    <XPDLVersion>2.2</XPDLVersion>
    <Vendor>tests</Vendor>
    <Created>2024-01-01</Created>
  </PackageHeader>
  <ConformanceClass GraphConformance="NON_BLOCKED" BPMNModelPortabilityConformance="SIMPLE"/>
  <Participants>
    <Participant Id="clerk"><ParticipantType Type="ROLE"/></Participant>
  </Participants>
  <Pools>
    <Pool Id="pool1" Name="Main" Process="main" BoundaryVisible="true" Orientation="HORIZONTAL">
      <Lanes>
        <Lane Id="lane1" Name="Clerks" ParentPool="pool1">
          <NodeGraphicsInfos><NodeGraphicsInfo Width="100" Height="50"/></NodeGraphicsInfos>
          <Performers><Performer>clerk</Performer></Performers>
        </Lane>
      </Lanes>
      <NodeGraphicsInfos><NodeGraphicsInfo Width="900"/></NodeGraphicsInfos>
    </Pool>
  </Pools>
  <MessageFlows>
    <MessageFlow Id="mf1" Source="a" Target="b"/>
  </MessageFlows>
  <Associations>
    <Association Id="as1" Source="a" Target="art1"/>
  </Associations>
  <Artifacts>
    <Artifact Id="art1" ArtifactType="Annotation" TextAnnotation="note"/>
  </Artifacts>
  <WorkflowProcesses>
    <WorkflowProcess Id="main">
      <ProcessHeader/>
      <Applications>
        <Application Id="calc">
          <Type><WebService InputMsgName="in" OutputMsgName="out"/></Type>
          <FormalParameters>
            <FormalParameter Id="x" Mode="IN" IsArray="true">
              <DataType>
                <BasicType Type="FLOAT">
                  <Length>10</Length><Precision>8</Precision><Scale>2</Scale>
                </BasicType>
              </DataType>
            </FormalParameter>
          </FormalParameters>
        </Application>
      </Applications>
      <DataFields>
        <DataField Id="amount" IsArray="false" ReadOnly="true" Correlation="true">
          <DataType><BasicType Type="DATE"/></DataType>
        </DataField>
      </DataFields>
      <ActivitySets>
        <ActivitySet Id="set1" DefaultStartActivityId="in1">
          <Activities><Activity Id="in1"/></Activities>
        </ActivitySet>
      </ActivitySets>
      <Activities>
        <Activity Id="start"><Event><StartEvent Trigger="None"/></Event></Activity>
        <Activity Id="timer">
          <Event>
            <IntermediateEvent Trigger="Timer" Target="work" Interrupting="false">
              <TriggerTimer><TimeDate>2030-01-01</TimeDate></TriggerTimer>
            </IntermediateEvent>
          </Event>
        </Activity>
        <Activity Id="end"><Event><EndEvent Result="None"/></Event></Activity>
        <Activity Id="kill"><Event><EndEvent Result="Terminate"/></Event></Activity>
        <Activity Id="gx"><Route GatewayType="Exclusive"/></Activity>
        <Activity Id="gi"><Route GatewayType="Inclusive"/></Activity>
        <Activity Id="gp"><Route GatewayType="Parallel" MarkerVisible="true"/></Activity>
        <Activity Id="gc"><Route GatewayType="Complex"/></Activity>
        <Activity Id="gxor"><Route GatewayType="XOR"/></Activity>
        <Activity Id="gor"><Route GatewayType="OR"/></Activity>
        <Activity Id="gand"><Route GatewayType="AND"/></Activity>
        <Activity Id="gnone"><Route/></Activity>
        <Activity Id="work" Name="Work" StartMode="Manual" FinishMode="Automatic" v:colour="red">
          <Implementation>
            <Task>
              <TaskApplication Id="calc" PackageRef="lib">
                <ActualParameters>
                  <ActualParameter>amount * 2</ActualParameter>
                  <ActualParameter>result</ActualParameter>
                </ActualParameters>
                <Description>compute</Description>
              </TaskApplication>
            </Task>
          </Implementation>
          <Performers>
            <Performer>clerk</Performer>
            <Performer>boss</Performer>
          </Performers>
          <Deadline Execution="ASYNCHR">
            <DeadlineDuration>P1D</DeadlineDuration>
            <ExceptionName>remind</ExceptionName>
          </Deadline>
          <Deadline Execution="SYNCHR">
            <DeadlineDuration>P3D</DeadlineDuration>
            <ExceptionName>escalate</ExceptionName>
          </Deadline>
          <Deadline><DeadlineDuration>P9D</DeadlineDuration></Deadline>
          <TransitionRestrictions>
            <TransitionRestriction>
              <Join Type="Inclusive"/>
              <Split Type="Exclusive" ExclusiveType="Data">
                <TransitionRefs><TransitionRef Id="t2"/><TransitionRef Id="t1"/></TransitionRefs>
              </Split>
            </TransitionRestriction>
          </TransitionRestrictions>
          <ExtendedAttributes>
            <ExtendedAttribute Name="form" Value="a.html"/>
            <ExtendedAttribute Name="form" Value="b.html"/>
            <ExtendedAttribute Name="layout"><v:box w="3"/></ExtendedAttribute>
          </ExtendedAttributes>
          <Loop LoopType="Standard">
            <LoopStandard LoopMaximum="5" TestTime="Before" LoopCounter="3">
              <LoopCondition>amount &lt; 10</LoopCondition>
            </LoopStandard>
          </Loop>
          <NodeGraphicsInfos>
            <NodeGraphicsInfo LaneId="lane1">
              <Coordinates XCoordinate="1" YCoordinate="2"/>
            </NodeGraphicsInfo>
          </NodeGraphicsInfos>
          <v:audit level="high"><v:note>keep me</v:note></v:audit>
        </Activity>
        <Activity Id="looped">
          <Loop LoopType="Standard"><LoopStandard LoopCondition="again == True"/></Loop>
        </Activity>
        <Activity Id="multi">
          <Loop LoopType="MultiInstance">
            <LoopMultiInstance MI_Ordering="Sequential" MI_FlowCondition="Complex"
                ComplexMI_FlowCondition="done &gt; 1">
              <MI_Condition>len(items)</MI_Condition>
            </LoopMultiInstance>
          </Loop>
        </Activity>
        <Activity Id="user">
          <Implementation>
            <Task>
              <TaskUser Implementation="Other">
                <Performers><Performer>clerk</Performer></Performers>
              </TaskUser>
            </Task>
          </Implementation>
        </Activity>
        <Activity Id="script">
          <Implementation>
            <Task><TaskScript><Script ScriptType="text/python">x = 1</Script></TaskScript></Task>
          </Implementation>
        </Activity>
        <Activity Id="empty-task"><Implementation><Task/></Implementation></Activity>
        <Activity Id="sub">
          <Implementation>
            <SubFlow Id="child" Execution="ASYNCHR" PackageRef="lib" InstanceDataField="childId"
                StartActivityId="s1" View="EXPANDED">
              <ActualParameters><ActualParameter>amount</ActualParameter></ActualParameters>
            </SubFlow>
          </Implementation>
        </Activity>
        <Activity Id="ref">
          <Implementation><Reference ActivityId="work"/></Implementation>
        </Activity>
        <Activity Id="block">
          <BlockActivity ActivitySetId="set1" StartActivityId="in1" View="EXPANDED"/>
        </Activity>
      </Activities>
      <Transitions>
        <Transition Id="t1" From="work" To="end" Quantity="1">
          <Condition Type="CONDITION"><Expression>amount &gt; 5</Expression></Condition>
          <ConnectorGraphicsInfos>
            <ConnectorGraphicsInfo>
              <Coordinates XCoordinate="5" YCoordinate="6"/>
            </ConnectorGraphicsInfo>
          </ConnectorGraphicsInfos>
        </Transition>
        <Transition Id="t2" From="work" To="kill">
          <Condition Type="DEFAULTEXCEPTION"/>
        </Transition>
        <Transition Id="t3" From="start" To="work">
          <Condition Type="EXCEPTION">timeout</Condition>
        </Transition>
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""


@pytest.fixture(scope="module")
def pkg() -> Package:
    return read_package(XPDL22, source="two.xpdl")


def test_version_and_namespaces(pkg: Package) -> None:
    assert pkg.source_version == "2.2"
    assert pkg.namespaces == (("v", "urn:vendor"),)
    assert pkg.conformance_class is not None
    assert pkg.conformance_class.bpmn_portability == "SIMPLE"


@pytest.mark.parametrize(
    ("activity_id", "expected"),
    [
        ("gx", GatewayType.EXCLUSIVE),
        ("gi", GatewayType.INCLUSIVE),
        ("gp", GatewayType.PARALLEL),
        ("gc", GatewayType.COMPLEX),
        ("gxor", GatewayType.EXCLUSIVE),
        ("gor", GatewayType.INCLUSIVE),
        ("gand", GatewayType.PARALLEL),
        ("gnone", None),
    ],
)
def test_route_gateway_types(pkg: Package, activity_id: str, expected: GatewayType | None) -> None:
    body = pkg.process().activity(activity_id).body
    assert isinstance(body, Route)
    assert body.gateway_type == expected


def test_route_keeps_unmodelled_attributes(pkg: Package) -> None:
    body = pkg.process().activity("gp").body
    assert isinstance(body, Route)
    assert body.extra_attrs == (("MarkerVisible", "true"),)


def test_events_start_intermediate_end_and_terminate(pkg: Package) -> None:
    proc = pkg.process()
    start = proc.activity("start").event
    assert start is not None
    assert (start.position, start.trigger) == (EventPosition.START, "None")
    timer = proc.activity("timer").event
    assert timer is not None
    assert (timer.position, timer.trigger, timer.target) == (
        EventPosition.INTERMEDIATE,
        "Timer",
        "work",
    )
    assert timer.interrupting is False
    assert [d.tag for d in timer.detail] == [f"{{{XPDL22_NS}}}TriggerTimer"]
    assert timer.detail[0].children[0].text == "2030-01-01"
    end = proc.activity("end").event
    assert end is not None and end.position is EventPosition.END and not end.is_terminate
    kill = proc.activity("kill").event
    assert isinstance(kill, Event) and kill.is_terminate


def test_task_application_with_actual_parameters(pkg: Package) -> None:
    work = pkg.process().activity("work")
    body = work.body
    assert isinstance(body, TaskImplementation)
    assert body.task is TaskKind.APPLICATION
    (call,) = body.tools
    assert call.application_id == "calc"
    assert call.actual_parameters == ("amount * 2", "result")
    assert call.description == "compute"
    assert call.extra_attrs == (("PackageRef", "lib"),)


def test_performers_and_mode_attributes(pkg: Package) -> None:
    work = pkg.process().activity("work")
    assert work.performers == ("clerk", "boss")
    assert work.start_mode is Mode.MANUAL
    assert work.finish_mode is Mode.AUTOMATIC


def test_several_deadlines_are_all_kept(pkg: Package) -> None:
    deadlines = pkg.process().activity("work").deadlines
    assert [(d.duration, d.execution, d.exception_name) for d in deadlines] == [
        ("P1D", Execution.ASYNCHR, "remind"),
        ("P3D", Execution.SYNCHR, "escalate"),
        ("P9D", None, None),
    ]


def test_join_and_split_2x(pkg: Package) -> None:
    work = pkg.process().activity("work")
    assert work.join is not None and work.join.type is GatewayType.INCLUSIVE
    assert work.split is not None
    assert work.split.type is GatewayType.EXCLUSIVE
    assert work.split.transition_refs == ("t2", "t1")
    assert work.split.exclusive_type == "Data"


def test_extended_attributes_with_duplicate_names_and_content(pkg: Package) -> None:
    eas = pkg.process().activity("work").extended_attributes
    assert [(e.name, e.value) for e in eas] == [
        ("form", "a.html"),
        ("form", "b.html"),
        ("layout", None),
    ]
    (box,) = eas[2].content
    assert box.tag == "{urn:vendor}box"
    assert box.get("w") == "3"


def test_vendor_elements_and_attributes_are_kept(pkg: Package) -> None:
    work = pkg.process().activity("work")
    assert work.extra_attrs == (("{urn:vendor}colour", "red"),)
    (audit,) = work.extras
    assert audit.tag == "{urn:vendor}audit"
    assert audit.get("level") == "high"
    assert audit.children[0].text == "keep me"
    assert audit.line is not None


def test_graphics_are_kept_verbatim(pkg: Package) -> None:
    proc = pkg.process()
    (info,) = proc.activity("work").graphics
    assert info.tag == f"{{{XPDL22_NS}}}NodeGraphicsInfo"
    assert info.get("LaneId") == "lane1"
    assert info.children[0].get("XCoordinate") == "1"
    (conn,) = proc.transitions[0].graphics
    assert conn.local_name == "ConnectorGraphicsInfo"


def test_standard_loop_condition_as_element_or_attribute(pkg: Package) -> None:
    proc = pkg.process()
    loop = proc.activity("work").loop
    assert isinstance(loop, StandardLoop)
    assert (loop.condition, loop.maximum, loop.test_time, loop.counter) == (
        "amount < 10",
        5,
        LoopTestTime.BEFORE,
        "3",
    )
    loop2 = proc.activity("looped").loop
    assert isinstance(loop2, StandardLoop)
    assert (loop2.condition, loop2.test_time) == ("again == True", LoopTestTime.AFTER)


def test_multi_instance_loop(pkg: Package) -> None:
    loop = pkg.process().activity("multi").loop
    assert isinstance(loop, MultiInstanceLoop)
    assert loop.mi_condition == "len(items)"
    assert loop.ordering is MIOrdering.SEQUENTIAL
    assert loop.flow_condition is MIFlowCondition.COMPLEX
    assert loop.complex_flow_condition == "done > 1"


def test_non_application_tasks_keep_their_detail(pkg: Package) -> None:
    proc = pkg.process()
    user = proc.activity("user").body
    assert isinstance(user, TaskImplementation) and user.task is TaskKind.USER
    assert user.detail is not None and user.detail.local_name == "TaskUser"
    assert user.detail.get("Implementation") == "Other"
    script = proc.activity("script").body
    assert isinstance(script, TaskImplementation) and script.task is TaskKind.SCRIPT
    assert script.script == "x = 1"
    empty = proc.activity("empty-task").body
    assert isinstance(empty, TaskImplementation) and empty.task is TaskKind.NONE


def test_subflow_reference_and_block(pkg: Package) -> None:
    proc = pkg.process()
    sub = proc.activity("sub").body
    assert isinstance(sub, SubFlowImplementation)
    assert (sub.process_id, sub.execution, sub.package_ref) == ("child", Execution.ASYNCHR, "lib")
    assert (sub.instance_data_field, sub.start_activity_id) == ("childId", "s1")
    assert sub.view == "EXPANDED"
    assert sub.actual_parameters == ("amount",)
    ref = proc.activity("ref").body
    assert isinstance(ref, ReferenceImplementation) and ref.activity_id == "work"
    block = proc.activity("block").body
    assert isinstance(block, BlockActivity)
    assert (block.activity_set_id, block.start_activity_id) == ("set1", "in1")
    assert block.view == "EXPANDED"
    assert proc.activity_set("set1").default_start_activity_id == "in1"


def test_conditions_2x(pkg: Package) -> None:
    t1, t2, t3 = pkg.process().transitions
    assert t1.condition is not None and t1.condition.expression == "amount > 5"
    assert t1.extra_attrs == (("Quantity", "1"),)
    assert t2.condition is not None and t2.condition.type is not None
    assert t2.condition.type.value == "DEFAULTEXCEPTION"
    assert t3.condition is not None and t3.condition.expression == "timeout"


def test_application_type_and_data_types_2x(pkg: Package) -> None:
    proc = pkg.process()
    (app,) = proc.applications
    assert app.type is not None and app.type.local_name == "Type"
    assert app.type.children[0].get("InputMsgName") == "in"
    (x,) = app.formal_parameters
    assert x.is_array is True
    assert x.data_type == BasicType(type=BasicTypeKind.FLOAT, length=10, precision=8, scale=2)
    (amount,) = proc.data_fields
    assert (amount.is_array, amount.read_only, amount.correlation) == (False, True, True)
    assert amount.data_type == BasicType(type=BasicTypeKind.DATE)


def test_pools_lanes_and_verbatim_package_lists(pkg: Package) -> None:
    (pool,) = pkg.pools
    assert (pool.id, pool.name, pool.process) == ("pool1", "Main", "main")
    assert pool.boundary_visible is True
    assert pool.orientation == "HORIZONTAL"
    (lane,) = pool.lanes
    assert (lane.id, lane.parent_pool, lane.performers) == ("lane1", "pool1", ("clerk",))
    assert lane.graphics[0].get("Width") == "100"
    assert pool.graphics[0].get("Width") == "900"
    assert [m.get("Id") for m in pkg.message_flows] == ["mf1"]
    assert [a.get("Id") for a in pkg.associations] == ["as1"]
    assert pkg.artifacts[0].tag == f"{{{XPDL22_NS}}}Artifact"
    assert pkg.participants[0].type is ParticipantKind.ROLE


def test_the_sample_reads_without_reader_warnings(pkg: Package) -> None:
    assert [d for d in pkg.load_diagnostics if d.code != "schema-violation"] == []


def _subflow_parameters(params: str) -> tuple[Package, tuple[str, ...]]:
    doc = f"""<Package xmlns="{XPDL22_NS}" Id="p"><PackageHeader/><WorkflowProcesses>
      <WorkflowProcess Id="w"><ProcessHeader/><Activities>
        <Activity Id="a"><Implementation><SubFlow Id="child">
          <ActualParameters>{params}</ActualParameters>
        </SubFlow></Implementation></Activity>
      </Activities></WorkflowProcess></WorkflowProcesses></Package>"""
    pkg = read_package(doc.encode(), schema=False)
    body = pkg.process().activity("a").body
    assert isinstance(body, SubFlowImplementation)
    return pkg, body.actual_parameters


def test_xpdl22_structured_actual_parameters_read_as_expressions() -> None:
    # 2.2 made ActualParameter element-only: FormalExpression, or Source naming a field
    pkg, params = _subflow_parameters(
        """
        <ActualParameter><FormalExpression>amount * 2</FormalExpression></ActualParameter>
        <ActualParameter><Source>customer</Source></ActualParameter>
        <ActualParameter><FormalExpression/></ActualParameter>
        <ActualParameter>plain</ActualParameter>
        """
    )
    assert params == ("amount * 2", "customer", "", "plain")
    assert pkg.load_diagnostics == ()


def test_xpdl22_actual_parameter_richer_than_one_expression_is_warned() -> None:
    pkg, params = _subflow_parameters(
        "<ActualParameter><Source>a</Source><Source>b</Source></ActualParameter>"
    )
    assert params == ("a",)  # the second Source's text does not run into the first's
    assert [d.code for d in pkg.load_diagnostics] == ["xpdl-unreadable"]


def _activity_level(implementation: str) -> Package:
    # XPDL 2.2: "Deprecated in XPDL 2.2, use the Actual Parameters at the Activity Level"
    doc = f"""<Package xmlns="{XPDL22_NS}" Id="p"><PackageHeader/><WorkflowProcesses>
      <WorkflowProcess Id="w"><ProcessHeader/><Activities>
        <Activity Id="a"><Implementation>{implementation}</Implementation>
          <ActualParameters>
            <ActualParameter><FormalExpression>customer</FormalExpression></ActualParameter>
            <ActualParameter><Source>amount</Source></ActualParameter>
          </ActualParameters>
        </Activity>
      </Activities></WorkflowProcess></WorkflowProcesses></Package>"""
    return read_package(doc.encode(), schema=False)


@pytest.mark.parametrize(
    "implementation",
    ['<Task><TaskApplication Id="notify"/></Task>', '<SubFlow Id="child"/>'],
    ids=["task-application", "subflow"],
)
def test_xpdl22_activity_level_actual_parameters_belong_to_its_call(implementation: str) -> None:
    from wfengine import dump_xpdl

    pkg = _activity_level(implementation)
    body = pkg.process().activity("a").body
    found = (
        body.actual_parameters
        if isinstance(body, SubFlowImplementation)
        else body.tools[0].actual_parameters  # type: ignore[union-attr]
    )
    assert found == ("customer", "amount")
    assert pkg.load_diagnostics == ()
    assert pkg.process().activity("a").extras == ()  # read, not kept aside
    again = read_package(dump_xpdl(pkg))  # written where 2.2 still allows them, schema-valid
    assert again.process().activity("a").body == body
    schema = [d.message for d in again.load_diagnostics if d.code == "schema-violation"]
    assert not [m for m in schema if "ActualParameter" in m]  # ('child' is not declared here)


def test_activity_level_actual_parameters_stay_as_written_when_the_call_has_its_own() -> None:
    pkg = _activity_level(
        '<Task><TaskApplication Id="notify"><ActualParameters><ActualParameter>'
        "x</ActualParameter></ActualParameters></TaskApplication></Task>"
    )
    body = pkg.process().activity("a").body
    assert body.tools[0].actual_parameters == ("x",)  # type: ignore[union-attr]
    assert [x.tag.rsplit("}", 1)[-1] for x in pkg.process().activity("a").extras] == [
        "ActualParameters"
    ]


def _mapped(call: str, callee_formals: str = "") -> Package:
    # XPDL 2.1/2.2 DataMappings: parameters by formal name (TIBCO Business Studio's form)
    doc = f"""<Package xmlns="{XPDL22_NS}" Id="p"><PackageHeader/>
      <Applications><Application Id="notify"><FormalParameters>
        <FormalParameter Id="who" Mode="IN"><DataType><BasicType Type="STRING"/></DataType>
        </FormalParameter>
        <FormalParameter Id="sent" Mode="OUT"><DataType><BasicType Type="BOOLEAN"/></DataType>
        </FormalParameter>
      </FormalParameters></Application></Applications>
      <WorkflowProcesses>
      <WorkflowProcess Id="w"><ProcessHeader/><Activities>
        <Activity Id="a"><Implementation>{call}</Implementation></Activity>
      </Activities></WorkflowProcess>
      <WorkflowProcess Id="child"><ProcessHeader/><FormalParameters>{callee_formals}
      </FormalParameters><Activities><Activity Id="c"/></Activities></WorkflowProcess>
      </WorkflowProcesses></Package>"""
    return read_package(doc.encode(), schema=False)


_MAPPINGS = """<DataMappings>
  <DataMapping Formal="sent" Direction="OUT"><Actual>was_sent</Actual></DataMapping>
  <DataMapping Formal="who" Direction="IN"><Actual><FormalExpression>name + '!'</FormalExpression>
  </Actual></DataMapping>
</DataMappings>"""


def test_data_mappings_are_read_as_actual_parameters_in_the_formals_order() -> None:
    from wfengine import dump_xpdl

    pkg = _mapped(f'<Task><TaskApplication Id="notify">{_MAPPINGS}</TaskApplication></Task>')
    body = pkg.process("w").activity("a").body
    assert isinstance(body, TaskImplementation)
    (tool,) = body.tools
    assert tool.actual_parameters == ("name + '!'", "was_sent")  # who, then sent
    assert tool.extras == () and pkg.load_diagnostics == ()
    again = read_package(dump_xpdl(pkg))
    assert again.process("w").activity("a").body == body
    formals = """<FormalParameter Id="who" Mode="IN"><DataType><BasicType Type="STRING"/>
      </DataType></FormalParameter><FormalParameter Id="sent" Mode="OUT"><DataType>
      <BasicType Type="BOOLEAN"/></DataType></FormalParameter>"""
    sub = _mapped(f'<SubFlow Id="child">{_MAPPINGS}</SubFlow>', formals)
    called = sub.process("w").activity("a").body
    assert isinstance(called, SubFlowImplementation)
    assert called.actual_parameters == ("name + '!'", "was_sent")


@pytest.mark.parametrize(
    ("mappings", "why"),
    [
        (
            '<DataMappings><DataMapping Formal="who"><Actual>x</Actual></DataMapping>'
            "</DataMappings>",
            "formal parameter 'sent' is not mapped",
        ),
        (
            '<DataMappings><DataMapping Formal="whom"><Actual>x</Actual></DataMapping>'
            '<DataMapping Formal="who"><Actual>x</Actual></DataMapping>'
            '<DataMapping Formal="sent"><Actual>y</Actual></DataMapping></DataMappings>',
            "'whom' is no formal parameter of the callee",
        ),
        (
            "<DataMappings>"
            + "".join(
                f'<DataMapping Formal="x{i:04}"><Actual>x</Actual></DataMapping>'
                for i in range(3000)
            )
            + "</DataMappings>",
            # a message that stays short: the first five names and how many more
            "'x0000', 'x0001', 'x0002', 'x0003', 'x0004' and 2,995 more are no formal "
            "parameters of the callee",
        ),
    ],
    ids=["missing", "unknown", "many-unknown"],
)
def test_data_mappings_that_do_not_fit_are_kept_with_a_warning(mappings: str, why: str) -> None:
    pkg = _mapped(f'<Task><TaskApplication Id="notify">{mappings}</TaskApplication></Task>')
    body = pkg.process("w").activity("a").body
    assert isinstance(body, TaskImplementation)
    assert body.tools[0].actual_parameters == ()
    assert len(body.tools[0].extras) == 1  # written back as they were
    (warning,) = pkg.load_diagnostics
    assert warning.code == "xpdl-unreadable" and why in warning.message
    assert "activity 'a'" in warning.message


def test_an_expressions_own_script_type_is_kept_for_initial_values_and_loops() -> None:
    # 2.2's InitialValue, LoopCondition, MI_Condition and ComplexMI_FlowCondition are
    # ExpressionType, whose ScriptType names the expression's language: it was dropped
    # (parseInt("3") in a native package then refused the process)
    from wfengine import Engine, dump_xpdl, validate

    js = 'ScriptType="text/javascript"'
    doc = f"""<Package xmlns="{XPDL22_NS}" Id="p"><PackageHeader/><WorkflowProcesses>
      <WorkflowProcess Id="w"><ProcessHeader/><DataFields>
        <DataField Id="tries"><DataType><BasicType Type="INTEGER"/></DataType>
          <InitialValue {js}>parseInt("3")</InitialValue></DataField>
        <DataField Id="done"><DataType><BasicType Type="BOOLEAN"/></DataType>
          <InitialValue>false</InitialValue></DataField>
      </DataFields><Activities>
        <Activity Id="a"><Implementation><No/></Implementation>
          <Loop LoopType="Standard"><LoopStandard TestTime="Before">
            <LoopCondition {js}>!done &amp;&amp; tries &gt; 3</LoopCondition>
          </LoopStandard></Loop>
        </Activity>
        <Activity Id="m"><Implementation><No/></Implementation>
          <Loop LoopType="MultiInstance"><LoopMultiInstance MI_Ordering="Parallel">
            <MI_Condition {js}>parseInt("2")</MI_Condition>
          </LoopMultiInstance></Loop>
        </Activity>
      </Activities></WorkflowProcess></WorkflowProcesses></Package>"""
    pkg = read_package(doc.encode(), schema=False)
    process = pkg.process("w")
    assert dict(process.data_fields[0].initial_value_attrs) == {"ScriptType": "text/javascript"}
    assert validate(pkg) == []
    again = read_package(dump_xpdl(pkg))  # written with them
    assert again.process("w") == process
    with Engine() as engine:
        engine.deploy(pkg)
        iid = engine.start_process("w")
        assert engine.instance(iid).data["tries"] == 3
        assert engine.trace(iid).count("m") == 2  # parseInt("2") instances; "a" never looped


def test_a_length_that_is_no_number_is_kept_as_written() -> None:
    # the 2.x schemas type BasicType/Length as text: "unbounded" made the whole DataField
    # unreadable (dropped from the model, and written outside DataFields)
    from wfengine import dump_xpdl

    doc = f"""<Package xmlns="{XPDL22_NS}" Id="p"><PackageHeader/><WorkflowProcesses>
      <WorkflowProcess Id="w"><ProcessHeader/><DataFields>
        <DataField Id="note"><DataType><BasicType Type="STRING"><Length>unbounded</Length>
        </BasicType></DataType></DataField>
        <DataField Id="code"><DataType><BasicType Type="STRING"><Length>8</Length>
        </BasicType></DataType></DataField>
      </DataFields><Activities><Activity Id="a"/></Activities></WorkflowProcess>
      </WorkflowProcesses></Package>"""
    pkg = read_package(doc.encode(), schema=False)
    fields = pkg.process("w").data_fields
    assert [f.data_type.length for f in fields] == ["unbounded", 8]  # type: ignore[union-attr]
    assert pkg.load_diagnostics == ()
    assert read_package(dump_xpdl(pkg)).process("w").data_fields == fields
