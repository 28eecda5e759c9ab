"""The XPDL 2.2 writer: every model construct, written and checked against the 2.2 schema.

Models are built by hand from the model classes, so these tests do not depend on the reader.
"""

from __future__ import annotations

import pytest
from lxml import etree

from wfengine.definition.model import (
    DEPRECATED_NS,
    XPDL22_NS,
    Activity,
    ActivitySet,
    Application,
    ArrayType,
    BasicType,
    BasicTypeKind,
    BlockActivity,
    Condition,
    ConditionType,
    ConformanceClass,
    DataField,
    Deadline,
    DeclaredType,
    EnumerationType,
    Event,
    EventPosition,
    Execution,
    ExtendedAttribute,
    ExternalPackage,
    ExternalReference,
    FormalParameter,
    GatewayType,
    Join,
    Lane,
    ListType,
    MIFlowCondition,
    MIOrdering,
    Mode,
    MultiInstanceLoop,
    NoImplementation,
    Package,
    PackageHeader,
    ParameterMode,
    Participant,
    ParticipantKind,
    Pool,
    ProcessHeader,
    RecordType,
    RedefinableHeader,
    ReferenceImplementation,
    Route,
    SchemaType,
    Script,
    Split,
    StandardLoop,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
    ToolCall,
    Transition,
    TypeDeclaration,
    UnionType,
    WorkflowProcess,
    XmlNode,
)
from wfengine.definition.model import (
    TestTime as LoopTestTime,
)
from wfengine.definition.xpdl.schema import check_schema
from wfengine.definition.xpdl.writer import WFENGINE_NS, write_package

VENDOR_NS = "http://vendor.example/xpdl-ext"
XSD_NS = "http://www.w3.org/2001/XMLSchema"


def x(local: str, *children: XmlNode, text: str | None = None, **attrs: str) -> XmlNode:
    """An XPDL 2.2 XmlNode, as the reader keeps unknown XPDL elements."""
    return XmlNode(
        tag=f"{{{XPDL22_NS}}}{local}", attrs=tuple(attrs.items()), text=text, children=children
    )


def v(local: str, *children: XmlNode, text: str | None = None, **attrs: str) -> XmlNode:
    """A vendor-namespace XmlNode."""
    return XmlNode(
        tag=f"{{{VENDOR_NS}}}{local}", attrs=tuple(attrs.items()), text=text, children=children
    )


STRING = BasicType(type=BasicTypeKind.STRING)
INTEGER = BasicType(type=BasicTypeKind.INTEGER)

NODE_GRAPHICS = (
    x(
        "NodeGraphicsInfo",
        x("Coordinates", XCoordinate="10", YCoordinate="20"),
        ToolId="test",
        Width="90",
        Height="60",
    ),
)
CONNECTOR_GRAPHICS = (
    x("ConnectorGraphicsInfo", x("Coordinates", XCoordinate="1", YCoordinate="2")),
)


def full_process() -> WorkflowProcess:
    activities = (
        Activity(
            id="start",
            name="Start",
            body=Event(
                position=EventPosition.START,
                trigger="Timer",
                detail=(x("TriggerTimer", x("TimeCycle", text="PT1H")),),
            ),
            graphics=NODE_GRAPHICS,
        ),
        Activity(
            id="approve",
            name="Approve",
            description="a person approves",
            limit="10",
            body=NoImplementation(),
            performers=("boss", "deputy"),
            start_mode=Mode.MANUAL,
            finish_mode=Mode.AUTOMATIC,
            priority="2",
            deadlines=(
                Deadline(duration="PT1H", execution=Execution.ASYNCHR, exception_name="late"),
                Deadline(duration="PT2H", execution=Execution.SYNCHR, exception_name="later"),
            ),
            join=Join(type=GatewayType.EXCLUSIVE),
            split=Split(
                type=GatewayType.EXCLUSIVE, transition_refs=("t_ok", "t_no"), exclusive_type="Data"
            ),
            data_fields=(DataField(id="local", data_type=STRING),),
            loop=StandardLoop(
                condition="count < 3", maximum=5, test_time=LoopTestTime.BEFORE, counter="0"
            ),
            extended_attributes=(
                ExtendedAttribute(name="form", value="approve.html"),
                ExtendedAttribute(name="layout", content=(v("Layout", cols="2"),)),
            ),
            extras=(
                v("Hint", text="vendor hint"),
                x("Documentation", text="http://docs.example/approve"),
                x("Icon", text="approve.png"),
            ),
            extra_attrs=(("IsForCompensation", "false"), (f"{{{VENDOR_NS}}}colour", "red")),
            graphics=NODE_GRAPHICS,
        ),
        Activity(
            id="notify",
            body=TaskImplementation(
                tools=(
                    ToolCall(
                        application_id="mailer",
                        actual_parameters=("amount", "'done'"),
                        description="send mail",
                    ),
                )
            ),
            loop=MultiInstanceLoop(
                mi_condition="3",
                ordering=MIOrdering.SEQUENTIAL,
                flow_condition=MIFlowCondition.COMPLEX,
                complex_flow_condition="done > 1",
            ),
        ),
        Activity(
            id="two_calls",
            body=TaskImplementation(
                tools=(
                    ToolCall(application_id="mailer", actual_parameters=("amount", "'x'")),
                    ToolCall(application_id="mailer", tool_type="PROCEDURE"),
                )
            ),
        ),
        Activity(
            id="script",
            body=TaskImplementation(task=TaskKind.SCRIPT, script="amount = amount + 1"),
        ),
        Activity(id="user", body=TaskImplementation(task=TaskKind.USER)),
        Activity(
            id="sub",
            body=SubFlowImplementation(
                process_id="child",
                execution=Execution.ASYNCHR,
                actual_parameters=("amount",),
                start_activity_id="c1",
            ),
        ),
        Activity(id="ref", body=ReferenceImplementation(activity_id="approve")),
        Activity(id="block", body=BlockActivity(activity_set_id="set1", start_activity_id="s1")),
        Activity(
            id="gw",
            body=Route(gateway_type=GatewayType.INCLUSIVE),
            join=Join(type=GatewayType.INCLUSIVE),
            split=Split(type=GatewayType.INCLUSIVE),
        ),
        Activity(
            id="catch",
            body=Event(
                position=EventPosition.INTERMEDIATE,
                trigger="Error",
                target="sub",
                interrupting=True,
                detail=(x("ResultError", ErrorCode="E1"),),
            ),
        ),
        Activity(id="end", body=Event(position=EventPosition.END, trigger="Terminate")),
    )
    transitions = (
        Transition(
            id="t_ok",
            from_="approve",
            to="notify",
            name="ok",
            condition=Condition(type=ConditionType.CONDITION, expression="amount < 100 && ok"),
            description="approved",
            extended_attributes=(ExtendedAttribute(name="weight", value="1"),),
            graphics=CONNECTOR_GRAPHICS,
            extras=(v("Bend", x="3"),),
        ),
        Transition(
            id="t_no",
            from_="approve",
            to="end",
            condition=Condition(type=ConditionType.OTHERWISE),
        ),
        Transition(id="t0", from_="start", to="approve"),
    )
    return WorkflowProcess(
        id="main",
        name="Main",
        access_level="PUBLIC",
        header=ProcessHeader(
            created="2024-01-01",
            description="the main process",
            priority="1",
            limit="5",
            valid_from="2024-01-01",
            valid_to="2030-01-01",
            duration_unit="D",
            waiting_time="1",
            working_time="2",
            duration="3",
        ),
        redefinable_header=RedefinableHeader(author="someone", version="3"),
        formal_parameters=(
            FormalParameter(id="amount", mode=ParameterMode.INOUT, data_type=INTEGER),
        ),
        data_fields=(
            DataField(
                id="ok",
                data_type=BasicType(type=BasicTypeKind.BOOLEAN),
                initial_value="false",
                read_only=True,
                correlation=True,
            ),
            DataField(id="done", data_type=INTEGER, is_array=True, length="4"),
        ),
        participants=(Participant(id="deputy", type=ParticipantKind.HUMAN),),
        activity_sets=(
            ActivitySet(
                id="set1",
                name="inner",
                default_start_activity_id="s1",
                activities=(
                    Activity(id="s1", body=NoImplementation()),
                    Activity(id="s2", body=Route()),
                ),
                transitions=(Transition(id="st1", from_="s1", to="s2"),),
            ),
        ),
        activities=activities,
        transitions=transitions,
        extended_attributes=(ExtendedAttribute(name="owner", value="team"),),
        extras=(v("ProcessNote", text="kept"),),
    )


def full_package() -> Package:
    """Every model construct at least once, in a schema-valid combination."""
    child = WorkflowProcess(
        id="child",
        formal_parameters=(FormalParameter(id="n", data_type=INTEGER, index="1"),),
        activities=(Activity(id="c1", body=NoImplementation()),),
    )
    return Package(
        id="pkg",
        name="Everything",
        header=PackageHeader(
            xpdl_version="1.0",
            vendor="wfengine tests",
            created="2024-01-01",
            modification_date="2024-02-02",
            description="all constructs",
            documentation="http://docs.example",
            priority_unit="p",
            cost_unit="EUR",
            extras=(x("VendorExtensions"),),
        ),
        redefinable_header=RedefinableHeader(
            author="a",
            version="1",
            codepage="utf-8",
            country_key="DE",
            responsibles=("boss",),
            publication_status="RELEASED",
        ),
        conformance_class=ConformanceClass(
            graph_conformance="NON_BLOCKED", bpmn_portability="NONE"
        ),
        script=Script(type="text/x-wfengine", version="1"),
        external_packages=(ExternalPackage(href="other.xpdl", id="other", name="Other"),),
        type_declarations=(
            TypeDeclaration(
                id="Money", data_type=BasicType(type=BasicTypeKind.FLOAT, precision=10, scale=2)
            ),
            TypeDeclaration(id="Ref", data_type=DeclaredType(id="Money")),
            TypeDeclaration(
                id="Xml",
                data_type=SchemaType(
                    content=(XmlNode(tag=f"{{{XSD_NS}}}element", attrs=(("name", "x"),)),)
                ),
            ),
            TypeDeclaration(
                id="Ext", data_type=ExternalReference(location="http://x.example/t.xsd", xref="T")
            ),
            TypeDeclaration(
                id="Rec",
                data_type=RecordType(members=(STRING, BasicType(type=BasicTypeKind.DATE))),
            ),
            TypeDeclaration(id="Uni", data_type=UnionType(members=(STRING, INTEGER))),
            TypeDeclaration(id="Enum", data_type=EnumerationType(values=("low", "high"))),
            TypeDeclaration(
                id="Arr",
                data_type=ArrayType(element=STRING, lower_index="0", upper_index="9"),
                description="ten strings",
            ),
            TypeDeclaration(
                id="Lst", data_type=ListType(element=BasicType(type=BasicTypeKind.TIME))
            ),
        ),
        participants=(
            Participant(
                id="boss",
                name="The Boss",
                type=ParticipantKind.ROLE,
                description="decides",
                external_reference=ExternalReference(location="ldap://dir/boss"),
                extended_attributes=(ExtendedAttribute(name="mail", value="boss@example.org"),),
            ),
            Participant(id="system", type=ParticipantKind.SYSTEM),
        ),
        applications=(
            Application(
                id="mailer",
                name="Mailer",
                description="sends mail",
                formal_parameters=(
                    FormalParameter(id="sum", data_type=INTEGER, description="how much"),
                    FormalParameter(id="text", mode=ParameterMode.IN, data_type=STRING),
                ),
                extended_attributes=(ExtendedAttribute(name="agent", value="smtp"),),
            ),
            Application(id="remote", external_reference=ExternalReference(location="http://x/")),
        ),
        data_fields=(DataField(id="global", data_type=DeclaredType(id="Money")),),
        workflow_processes=(full_process(), child),
        pools=(
            Pool(
                id="pool1",
                name="Main pool",
                process="main",
                participant="boss",
                boundary_visible=True,
                orientation="HORIZONTAL",
                lanes=(
                    Lane(id="lane1", name="Boss", parent_pool="pool1", performers=("boss",)),
                    Lane(id="lane2", parent_pool="pool1", graphics=NODE_GRAPHICS),
                ),
                graphics=NODE_GRAPHICS,
            ),
            Pool(id="pool2", process="child"),
        ),
        message_flows=(x("MessageFlow", Id="mf1", Source="pool1", Target="pool2"),),
        associations=(
            x("Association", x("Object", Id="o1"), Id="as1", Source="a1", Target="approve"),
        ),
        artifacts=(x("Artifact", Id="a1", ArtifactType="Annotation", TextAnnotation="note"),),
        namespaces=(("vx", VENDOR_NS), ("xpdl", "http://www.wfmc.org/2002/XPDL1.0")),
        extended_attributes=(ExtendedAttribute(name="madeBy", value="tests"),),
        extras=(v("PackageNote", text="kept too"),),
        extra_attrs=(("Language", "en"), (f"{{{VENDOR_NS}}}build", "7")),
    )


# --------------------------------------------------------------------------- helpers


def write(package: Package) -> etree._Element:
    return etree.fromstring(write_package(package))


def schema_findings(data: bytes) -> list[str]:
    return [d.message for d in check_schema(etree.fromstring(data).getroottree(), "2.2")]


def xp(element: etree._Element, path: str) -> list[etree._Element]:
    found = element.xpath(path, namespaces=NS)
    assert isinstance(found, list)
    return [e for e in found if isinstance(e, etree._Element)]


def one(element: etree._Element, path: str) -> etree._Element:
    found = xp(element, path)
    assert len(found) == 1, f"{path}: {len(found)} matches"
    return found[0]


def locals_of(element: etree._Element) -> list[str]:
    return [etree.QName(c).localname for c in element]


NS = {"x": XPDL22_NS, "d": DEPRECATED_NS, "v": VENDOR_NS}


def minimal(*activities: Activity, **package_fields: object) -> Package:
    return Package.model_validate(
        {
            "id": "p",
            "workflow_processes": (WorkflowProcess(id="wp", activities=activities),),
            **package_fields,
        }
    )


# --------------------------------------------------------------------------- document form


def test_full_package_is_schema_valid_xpdl_22() -> None:
    assert schema_findings(write_package(full_package())) == []


def test_empty_package_gets_the_required_header_and_is_valid() -> None:
    data = write_package(Package(id="empty"))
    assert schema_findings(data) == []
    root = etree.fromstring(data)
    assert locals_of(one(root, "x:PackageHeader")) == ["XPDLVersion", "Vendor", "Created"]


def test_document_form_declaration_namespace_and_indentation() -> None:
    data = write_package(full_package())
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="')
    root = etree.fromstring(data)
    assert root.tag == f"{{{XPDL22_NS}}}Package"
    assert root.nsmap[None] == XPDL22_NS
    assert b"\n  <PackageHeader>\n    <XPDLVersion>2.2</XPDLVersion>" in data
    assert data.endswith(b"</Package>\n")


def test_non_ascii_text_is_written_as_utf8() -> None:
    pkg = Package(id="p", name="Überweisung prüfen", header=PackageHeader(vendor="Žluť"))
    data = write_package(pkg)
    assert "Überweisung prüfen".encode() in data
    assert etree.fromstring(data).get("Name") == "Überweisung prüfen"


def test_xpdl_version_says_22_whatever_the_source_was() -> None:
    root = write(full_package())
    assert one(root, "x:PackageHeader/x:XPDLVersion").text == "2.2"


def test_output_is_deterministic() -> None:
    first = write_package(full_package())
    assert write_package(full_package()) == first
    assert write_package(full_package().model_copy()) == first


def test_special_characters_in_expressions_are_escaped_and_kept() -> None:
    root = write(full_package())
    expr = one(root, ".//x:Transition[@Id='t_ok']/x:Condition/x:Expression")
    assert expr.text == "amount < 100 && ok"


# --------------------------------------------------------------------------- package parts


def test_package_header_and_redefinable_header_fields() -> None:
    root = write(full_package())
    header = one(root, "x:PackageHeader")
    assert locals_of(header) == [
        "XPDLVersion",
        "Vendor",
        "Created",
        "ModificationDate",
        "Description",
        "Documentation",
        "PriorityUnit",
        "CostUnit",
        "VendorExtensions",
    ]
    redef = one(root, "x:RedefinableHeader")
    assert redef.get("PublicationStatus") == "RELEASED"
    assert [r.text for r in xp(redef, "x:Responsibles/x:Responsible")] == ["boss"]
    assert one(redef, "x:Countrykey").text == "DE"


def test_package_children_follow_schema_order() -> None:
    assert locals_of(write(full_package())) == [
        "PackageHeader",
        "RedefinableHeader",
        "ConformanceClass",
        "Script",
        "ExternalPackages",
        "TypeDeclarations",
        "Participants",
        "Applications",
        "DataFields",
        "Pools",
        "MessageFlows",
        "Associations",
        "Artifacts",
        "WorkflowProcesses",
        "ExtendedAttributes",
        "PackageNote",
    ]


def test_vendor_namespaces_are_redeclared_and_xpdl_prefixes_are_not() -> None:
    root = write(full_package())
    assert root.nsmap["vx"] == VENDOR_NS
    assert "xpdl" not in root.nsmap
    assert root.get(f"{{{VENDOR_NS}}}build") == "7"
    assert root.get("Language") == "en"


def test_unused_vendor_namespace_is_still_declared() -> None:
    root = write(Package(id="p", namespaces=(("q", "urn:only-in-expressions"),)))
    assert root.nsmap["q"] == "urn:only-in-expressions"


def test_schema_location_of_an_older_xpdl_version_is_dropped() -> None:
    xsi = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
    old = "http://www.wfmc.org/2008/XPDL2.1 http://www.wfmc.org/standards/bpmnxpdl_31.xsd"
    root = write(Package(id="p", extra_attrs=((xsi, old),)))
    assert root.get(xsi) is None
    mixed = f"{old} urn:vendor vendor.xsd"
    assert write(Package(id="p", extra_attrs=((xsi, mixed),))).get(xsi) == "urn:vendor vendor.xsd"


def test_data_types_of_every_kind() -> None:
    root = write(full_package())
    kinds = [locals_of(t)[0] for t in xp(root, "x:TypeDeclarations/x:TypeDeclaration")]
    assert kinds == [
        "BasicType",
        "DeclaredType",
        "SchemaType",
        "ExternalReference",
        "RecordType",
        "UnionType",
        "EnumerationType",
        "ArrayType",
        "ListType",
    ]
    money = one(root, ".//x:TypeDeclaration[@Id='Money']/x:BasicType")
    assert (money.get("Type"), locals_of(money)) == ("FLOAT", ["Precision", "Scale"])
    arr = one(root, ".//x:TypeDeclaration[@Id='Arr']/x:ArrayType")
    assert (arr.get("LowerIndex"), arr.get("UpperIndex")) == ("0", "9")
    assert root.xpath(".//x:EnumerationValue/@Name", namespaces=NS) == ["low", "high"]
    assert len(xp(root, ".//x:TypeDeclaration[@Id='Xml']/x:SchemaType/*")) == 1


def test_array_type_without_bounds_gets_minimal_valid_bounds() -> None:
    field = DataField(id="a", data_type=ArrayType(element=STRING))
    data = write_package(Package(id="p", data_fields=(field,)))
    assert schema_findings(data) == []
    arr = one(etree.fromstring(data), ".//x:ArrayType")
    assert (arr.get("LowerIndex"), arr.get("UpperIndex")) == ("0", "0")


def test_data_field_flags_are_true_false_and_defaults_left_out() -> None:
    root = write(full_package())
    ok = one(root, ".//x:DataField[@Id='ok']")
    assert (ok.get("ReadOnly"), ok.get("Correlation"), ok.get("IsArray")) == ("true", "true", None)
    done = one(root, ".//x:DataField[@Id='done']")
    assert done.get("IsArray") == "true"
    assert locals_of(done) == ["DataType", "Length"]
    assert one(ok, "x:InitialValue").text == "false"


def test_formal_parameter_index_is_kept_in_the_wfengine_namespace() -> None:
    root = write(full_package())
    param = one(root, ".//x:WorkflowProcess[@Id='child']//x:FormalParameter")
    assert param.get("Index") is None
    assert param.get(f"{{{WFENGINE_NS}}}Index") == "1"
    assert param.get("Mode") == "IN"


def test_participants_and_applications() -> None:
    root = write(full_package())
    boss = one(root, "x:Participants/x:Participant[@Id='boss']")
    assert locals_of(boss) == [
        "ParticipantType",
        "Description",
        "ExternalReference",
        "ExtendedAttributes",
    ]
    assert one(boss, "x:ParticipantType").get("Type") == "ROLE"
    mailer = one(root, "x:Applications/x:Application[@Id='mailer']")
    assert locals_of(mailer) == ["Description", "FormalParameters", "ExtendedAttributes"]
    remote = one(root, "x:Applications/x:Application[@Id='remote']")
    assert one(remote, "x:ExternalReference").get("location") == "http://x/"


def test_pools_and_lanes() -> None:
    root = write(full_package())
    pool = one(root, "x:Pools/x:Pool[@Id='pool1']")
    assert (pool.get("Process"), pool.get("BoundaryVisible")) == ("main", "true")
    assert locals_of(pool) == ["Lanes", "NodeGraphicsInfos"]
    lane = one(pool, "x:Lanes/x:Lane[@Id='lane1']")
    assert lane.get("ParentPool") == "pool1"
    assert [p.text for p in xp(lane, "x:Performers/x:Performer")] == ["boss"]
    # BoundaryVisible is required: a model that does not say gets "true"
    assert one(root, "x:Pools/x:Pool[@Id='pool2']").get("BoundaryVisible") == "true"
    hidden = write(Package(id="p", pools=(Pool(id="h", boundary_visible=False),)))
    assert one(hidden, "x:Pools/x:Pool").get("BoundaryVisible") == "false"


def test_message_flows_associations_artifacts_written_verbatim() -> None:
    root = write(full_package())
    assert one(root, "x:MessageFlows/x:MessageFlow").get("Source") == "pool1"
    assert one(root, "x:Associations/x:Association/x:Object").get("Id") == "o1"
    assert one(root, "x:Artifacts/x:Artifact").get("TextAnnotation") == "note"


# --------------------------------------------------------------------------- processes


def test_process_children_follow_schema_order() -> None:
    process = one(write(full_package()), ".//x:WorkflowProcess[@Id='main']")
    assert locals_of(process) == [
        "ProcessHeader",
        "RedefinableHeader",
        "FormalParameters",
        "Participants",
        "DataFields",
        "ActivitySets",
        "Activities",
        "Transitions",
        "ExtendedAttributes",
        "Extensions",
        "ProcessNote",
    ]
    header = one(process, "x:ProcessHeader")
    assert header.get("DurationUnit") == "D"
    assert locals_of(one(header, "x:TimeEstimation")) == ["WaitingTime", "WorkingTime", "Duration"]


def test_activity_set_holds_its_activities_and_transitions() -> None:
    aset = one(write(full_package()), ".//x:ActivitySet[@Id='set1']")
    assert aset.get("DefaultStartActivityId") == "s1"
    assert locals_of(aset) == ["Activities", "Transitions"]


def test_activity_children_and_extras_follow_schema_order() -> None:
    act = one(write(full_package()), ".//x:Activity[@Id='approve']")
    assert locals_of(act) == [
        "Description",
        "Limit",
        "Implementation",
        "Performers",
        "Priority",
        "Deadline",
        "Deadline",
        "Icon",
        "Documentation",
        "TransitionRestrictions",
        "ExtendedAttributes",
        "DataFields",
        "Loop",
        "NodeGraphicsInfos",
        "Extensions",
        "Hint",
    ]


def test_activity_attributes_start_finish_mode_and_extra_attrs() -> None:
    act = one(write(full_package()), ".//x:Activity[@Id='approve']")
    assert (act.get("StartMode"), act.get("FinishMode")) == ("Manual", "Automatic")
    assert act.get("IsForCompensation") == "false"
    assert act.get(f"{{{VENDOR_NS}}}colour") == "red"
    assert [p.text for p in xp(act, "x:Performers/x:Performer")] == ["boss", "deputy"]


def test_every_deadline_is_kept_in_order() -> None:
    act = one(write(full_package()), ".//x:Activity[@Id='approve']")
    deadlines = xp(act, "x:Deadline")
    assert [d.get("Execution") for d in deadlines] == ["ASYNCHR", "SYNCHR"]
    assert [one(d, "x:DeadlineDuration").text for d in deadlines] == ["PT1H", "PT2H"]
    assert [one(d, "x:ExceptionName").text for d in deadlines] == ["late", "later"]


def test_extended_attributes_with_element_content() -> None:
    act = one(write(full_package()), ".//x:Activity[@Id='approve']")
    eas = xp(act, "x:ExtendedAttributes/x:ExtendedAttribute")
    assert [(e.get("Name"), e.get("Value")) for e in eas] == [
        ("form", "approve.html"),
        ("layout", None),
    ]
    assert one(eas[1], "v:Layout").get("cols") == "2"


@pytest.mark.parametrize("gateway", list(GatewayType))
def test_each_gateway_type_is_written_with_its_22_name(gateway: GatewayType) -> None:
    act = Activity(
        id="g",
        body=Route(gateway_type=gateway),
        join=Join(type=gateway),
        split=Split(type=gateway, transition_refs=("t",)),
    )
    t = Transition(id="t", from_="g", to="h")
    pkg = Package(
        id="p",
        workflow_processes=(
            WorkflowProcess(
                id="wp",
                activities=(act, Activity(id="h", body=NoImplementation())),
                transitions=(t,),
            ),
        ),
    )
    data = write_package(pkg)
    assert schema_findings(data) == []
    element = one(etree.fromstring(data), ".//x:Activity[@Id='g']")
    assert one(element, "x:Route").get("GatewayType") == gateway.value
    restriction = one(element, "x:TransitionRestrictions/x:TransitionRestriction")
    assert one(restriction, "x:Join").get("Type") == gateway.value
    assert one(restriction, "x:Split").get("Type") == gateway.value
    assert gateway.value in {"Parallel", "Exclusive", "Inclusive", "Complex"}


def test_route_without_gateway_type_leaves_the_attribute_out() -> None:
    root = write(minimal(Activity(id="r", body=Route())))
    assert one(root, ".//x:Route").get("GatewayType") is None


def test_split_transition_refs_keep_their_order() -> None:
    act = one(write(full_package()), ".//x:Activity[@Id='approve']")
    split = one(act, ".//x:Split")
    assert (split.get("Type"), split.get("ExclusiveType")) == ("Exclusive", "Data")
    assert split.xpath("x:TransitionRefs/x:TransitionRef/@Id", namespaces=NS) == ["t_ok", "t_no"]


def test_single_tool_is_a_task_application_with_formal_expressions() -> None:
    act = one(write(full_package()), ".//x:Activity[@Id='notify']")
    app = one(act, "x:Implementation/x:Task/x:TaskApplication")
    assert app.get("Id") == "mailer"
    assert locals_of(app) == ["ActualParameters", "Description"]
    exprs = xp(app, "x:ActualParameters/x:ActualParameter/x:FormalExpression")
    assert [e.text for e in exprs] == ["amount", "'done'"]


def test_several_tools_become_deprecated_tools_in_the_10_namespace() -> None:
    act = one(write(full_package()), ".//x:Activity[@Id='two_calls']")
    tools = xp(act, "x:Implementation/d:Tool")
    assert [(t.get("Id"), t.get("Type")) for t in tools] == [
        ("mailer", None),
        ("mailer", "PROCEDURE"),
    ]
    params = tools[0].xpath("d:ActualParameters/d:ActualParameter/text()", namespaces=NS)
    assert params == ["amount", "'x'"]
    assert xp(act, ".//x:Task") == []


def test_tool_with_xpdl_extras_keeps_them_as_10_content() -> None:
    tool = ToolCall(
        application_id="a",
        extras=(x("ExtendedAttributes", x("ExtendedAttribute", Name="k", Value="v")),),
    )
    pkg = minimal(
        Activity(id="t", body=TaskImplementation(tools=(tool,))),
        applications=(Application(id="a"),),
    )
    data = write_package(pkg)
    assert schema_findings(data) == []
    ea = one(etree.fromstring(data), ".//d:Tool/d:ExtendedAttributes/d:ExtendedAttribute")
    assert ea.get("Name") == "k"


@pytest.mark.parametrize(
    "kind", [k for k in TaskKind if k not in (TaskKind.APPLICATION, TaskKind.REFERENCE)]
)
def test_other_task_kinds_are_schema_valid(kind: TaskKind) -> None:
    data = write_package(minimal(Activity(id="t", body=TaskImplementation(task=kind, script="x"))))
    assert schema_findings(data) == []
    task = one(etree.fromstring(data), ".//x:Implementation/x:Task")
    expected = [] if kind is TaskKind.NONE else [f"Task{kind.value}"]
    assert locals_of(task) == expected


def test_task_script_text_and_kept_detail() -> None:
    act = one(write(full_package()), ".//x:Activity[@Id='script']")
    assert one(act, ".//x:TaskScript/x:Script").text == "amount = amount + 1"
    detail = x("TaskUser", v("Form", ref="f1"), Implementation="Other")
    root = write(
        minimal(Activity(id="u", body=TaskImplementation(task=TaskKind.USER, detail=detail)))
    )
    user = one(root, ".//x:Task/x:TaskUser")
    assert user.get("Implementation") == "Other"
    assert one(user, "v:Form").get("ref") == "f1"


def test_subflow_reference_and_block_activity() -> None:
    root = write(full_package())
    subflow = one(root, ".//x:Activity[@Id='sub']/x:Implementation/x:SubFlow")
    assert (subflow.get("Id"), subflow.get("Execution"), subflow.get("StartActivityId")) == (
        "child",
        "ASYNCHR",
        "c1",
    )
    assert subflow.xpath(".//x:FormalExpression/text()", namespaces=NS) == ["amount"]
    ref = one(root, ".//x:Activity[@Id='ref']/x:Implementation/x:Reference")
    assert ref.get("ActivityId") == "approve"
    block = one(root, ".//x:Activity[@Id='block']/x:BlockActivity")
    assert (block.get("ActivitySetId"), block.get("StartActivityId")) == ("set1", "s1")
    assert xp(root, ".//x:Activity[@Id='approve']/x:Implementation/x:No") != []


def test_events_start_intermediate_end() -> None:
    root = write(full_package())
    start = one(root, ".//x:Activity[@Id='start']/x:Event/x:StartEvent")
    assert start.get("Trigger") == "Timer"
    assert one(start, "x:TriggerTimer/x:TimeCycle").text == "PT1H"
    catch = one(root, ".//x:Activity[@Id='catch']/x:Event/x:IntermediateEvent")
    assert (catch.get("Trigger"), catch.get("Target"), catch.get("Interrupting")) == (
        "Error",
        "sub",
        "true",
    )
    end = one(root, ".//x:Activity[@Id='end']/x:Event/x:EndEvent")
    assert (end.get("Result"), end.get("Trigger")) == ("Terminate", None)


def test_loops_use_child_element_conditions() -> None:
    root = write(full_package())
    loop = one(root, ".//x:Activity[@Id='approve']/x:Loop")
    assert loop.get("LoopType") == "Standard"
    std = one(loop, "x:LoopStandard")
    assert (std.get("TestTime"), std.get("LoopMaximum"), std.get("LoopCounter")) == (
        "Before",
        "5",
        "0",
    )
    assert std.get("LoopCondition") is None
    assert one(std, "x:LoopCondition").text == "count < 3"
    mi = one(
        root, ".//x:Activity[@Id='notify']/x:Loop[@LoopType='MultiInstance']/x:LoopMultiInstance"
    )
    assert (mi.get("MI_Ordering"), mi.get("MI_FlowCondition")) == ("Sequential", "Complex")
    assert one(mi, "x:MI_Condition").text == "3"
    assert one(mi, "x:ComplexMI_FlowCondition").text == "done > 1"


def test_transition_condition_graphics_and_extras() -> None:
    root = write(full_package())
    t = one(root, ".//x:Transition[@Id='t_ok']")
    assert (t.get("From"), t.get("To"), t.get("Name")) == ("approve", "notify", "ok")
    assert locals_of(t) == [
        "Condition",
        "Description",
        "ExtendedAttributes",
        "ConnectorGraphicsInfos",
        "Bend",
    ]
    assert one(t, "x:Condition").get("Type") == "CONDITION"
    otherwise = one(root, ".//x:Transition[@Id='t_no']/x:Condition")
    assert (otherwise.get("Type"), len(otherwise)) == ("OTHERWISE", 0)


def test_graphics_are_wrapped_in_node_graphics_infos() -> None:
    act = one(write(full_package()), ".//x:Activity[@Id='start']")
    info = one(act, "x:NodeGraphicsInfos/x:NodeGraphicsInfo")
    assert (info.get("Width"), one(info, "x:Coordinates").get("XCoordinate")) == ("90", "10")


def test_existing_extensions_marker_is_not_doubled() -> None:
    act = Activity(id="a", extras=(v("Mine"), x("Extensions")))
    root = write(minimal(act))
    assert locals_of(one(root, ".//x:Activity")) == ["Implementation", "Extensions", "Mine"]


def test_unqualified_extra_element_is_written_without_namespace() -> None:
    act = Activity(id="a", extras=(XmlNode(tag="plain", text="t"),))
    root = write(minimal(act))
    plain = one(root, ".//x:Activity/*[local-name()='plain']")
    assert etree.QName(plain).namespace is None


# --------------------------------------------------------------------------- 2.2 identity keys


def _clashing(param: FormalParameter) -> Package:
    """A data field and an application parameter sharing an Id, as 1.0 files often do."""
    return Package(
        id="p",
        applications=(Application(id="app", formal_parameters=(param,)),),
        workflow_processes=(
            WorkflowProcess(id="wp", data_fields=(DataField(id="amount", data_type=INTEGER),)),
        ),
    )


def test_clashing_parameter_ids_use_the_10_form_and_stay_valid() -> None:
    data = write_package(_clashing(FormalParameter(id="amount", data_type=INTEGER, index="2")))
    assert schema_findings(data) == []
    root = etree.fromstring(data)
    param = one(root, "x:Applications/x:Application/x:FormalParameters/d:FormalParameter")
    assert (param.get("Id"), param.get("Index"), param.get("Mode")) == ("amount", "2", "IN")
    assert one(param, "d:DataType/d:BasicType").get("Type") == "INTEGER"


def test_parameters_without_a_clash_keep_the_22_form() -> None:
    pkg = _clashing(FormalParameter(id="other", data_type=INTEGER))
    root = write(pkg)
    assert xp(root, ".//d:FormalParameter") == []
    assert one(root, ".//x:Application//x:FormalParameter").get("Id") == "other"


def test_clashing_parameters_the_10_form_cannot_hold_stay_22() -> None:
    named = FormalParameter(id="amount", name="Amount", data_type=INTEGER)
    root = write(_clashing(named))
    assert one(root, ".//x:Application//x:FormalParameter").get("Name") == "Amount"
