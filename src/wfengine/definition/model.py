"""The process-definition model: frozen pydantic models of an XPDL package.

Design notes (why it looks like this):

* One model for every XPDL version. The reader maps 1.0's AND/XOR, Tool, StartMode elements and
  2.x's Task/TaskApplication, Route GatewayType, Events onto the same classes; the writer emits
  XPDL 2.2. The engine never sees a version difference.
* Frozen and built from tuples, so a deployed definition cannot change under a running instance
  and models hash and compare by value (the round-trip property tests rely on that).
* ``line`` on every node is the 1-based source line it came from, for diagnostics. It is *not*
  part of equality or hashing: a model read back from written XML equals the original.
* Nothing is silently dropped. What the model does not understand is kept as :class:`XmlNode`
  (``extras``: unknown child elements, vendor extensions, graphics; ``extra_attrs``: unknown or
  vendor attributes) and written back. XPDL-namespace elements kept that way are normalised to
  the 2.2 namespace at read time, so the writer can emit them as they are.
* Expressions (conditions, initial values, actual parameters, deadline durations, loop
  conditions) are plain strings in the package's script language; ``wfengine.expressions``
  parses them.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from wfengine.definition.diagnostics import Diagnostic

XPDL22_NS = "http://www.wfmc.org/2009/XPDL2.2"
XPDL_NAMESPACES: dict[str, str] = {
    "http://www.wfmc.org/2002/XPDL1.0": "1.0",
    "http://www.wfmc.org/2004/XPDL2.0alpha": "2.0",
    "http://www.wfmc.org/2008/XPDL2.1": "2.1",
    XPDL22_NS: "2.2",
}
#: wfengine's own extension namespace, for values XPDL 2.2 has no place for (written by the
#: writer where the schema admits foreign elements/attributes, mapped back by the reader).
WFENGINE_NS = "urn:wfengine:xpdl-extensions"
#: The 2.x schemas' namespace for elements kept for 1.0 compatibility.
DEPRECATED_NS = "http://www.wfmc.org/2002/XPDL1.0"

Attrs = tuple[tuple[str, str], ...]


class Node(BaseModel):
    """Base of every model class: frozen, strict about field names, ``line`` not compared."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: fields that are bookkeeping, not meaning: excluded from ``==`` and ``hash``.
    _uncompared: ClassVar[frozenset[str]] = frozenset({"line"})

    line: int | None = Field(default=None, description="1-based source line, for diagnostics")

    def _key(self) -> tuple[Any, ...]:
        return tuple(v for k, v in self.__dict__.items() if k not in self._uncompared)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Node)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((type(self).__name__, *self._key()))


class XmlNode(Node):
    """An XML element kept verbatim: vendor extensions, graphics, elements the model lacks.

    ``tag`` is in Clark notation (``{namespace}Local``); attribute names too when namespaced.
    Mixed content is reduced to the element's leading ``text`` and each child's ``tail``.
    """

    tag: str
    attrs: Attrs = ()
    text: str | None = None
    tail: str | None = None
    children: tuple[XmlNode, ...] = ()

    @property
    def local_name(self) -> str:
        return self.tag.rsplit("}", 1)[-1]

    @property
    def namespace(self) -> str | None:
        return self.tag[1:].split("}", 1)[0] if self.tag.startswith("{") else None

    def get(self, name: str, default: str | None = None) -> str | None:
        for k, v in self.attrs:
            if k == name:
                return v
        return default

    def iter(self) -> Iterator[XmlNode]:
        yield self
        for c in self.children:
            yield from c.iter()


class ExtendedAttribute(Node):
    name: str
    #: the ``Value`` attribute
    value: str | None = None
    #: text content (some tools write the value as text instead of the attribute)
    text: str | None = None
    content: tuple[XmlNode, ...] = ()


class Extensible(Node):
    """Mixin fields for elements that carry extended attributes and unknown content."""

    extended_attributes: tuple[ExtendedAttribute, ...] = ()
    extras: tuple[XmlNode, ...] = ()
    extra_attrs: Attrs = ()

    def extended_attribute(self, name: str) -> str | None:
        """Value of the first extended attribute called ``name`` (its ``Value`` attribute, else
        its text, as tools write either), or None."""
        for ea in self.extended_attributes:
            if ea.name == name:
                return ea.value if ea.value is not None else ea.text
        return None


# --------------------------------------------------------------------------- enumerations


class ParticipantKind(StrEnum):
    RESOURCE_SET = "RESOURCE_SET"
    RESOURCE = "RESOURCE"
    ROLE = "ROLE"
    ORGANIZATIONAL_UNIT = "ORGANIZATIONAL_UNIT"
    HUMAN = "HUMAN"
    SYSTEM = "SYSTEM"


class BasicTypeKind(StrEnum):
    STRING = "STRING"
    FLOAT = "FLOAT"
    INTEGER = "INTEGER"
    REFERENCE = "REFERENCE"
    DATETIME = "DATETIME"
    DATE = "DATE"
    TIME = "TIME"
    BOOLEAN = "BOOLEAN"
    PERFORMER = "PERFORMER"


class ParameterMode(StrEnum):
    IN = "IN"
    OUT = "OUT"
    INOUT = "INOUT"


class GatewayType(StrEnum):
    """Join/split/route behaviour. XPDL 1.0's AND/XOR and 2.1's OR map onto these."""

    EXCLUSIVE = "Exclusive"
    INCLUSIVE = "Inclusive"
    PARALLEL = "Parallel"
    COMPLEX = "Complex"


class ConditionType(StrEnum):
    CONDITION = "CONDITION"
    OTHERWISE = "OTHERWISE"
    EXCEPTION = "EXCEPTION"
    DEFAULTEXCEPTION = "DEFAULTEXCEPTION"


class Execution(StrEnum):
    SYNCHR = "SYNCHR"
    ASYNCHR = "ASYNCHR"


class Mode(StrEnum):
    """Start or finish mode of an activity."""

    AUTOMATIC = "Automatic"
    MANUAL = "Manual"


class TestTime(StrEnum):
    BEFORE = "Before"
    AFTER = "After"


class MIOrdering(StrEnum):
    SEQUENTIAL = "Sequential"
    PARALLEL = "Parallel"


class MIFlowCondition(StrEnum):
    NONE = "None"
    ONE = "One"
    ALL = "All"
    COMPLEX = "Complex"


class EventPosition(StrEnum):
    START = "start"
    INTERMEDIATE = "intermediate"
    END = "end"


class TaskKind(StrEnum):
    """The 2.x Task element's child (1.0's Tool becomes APPLICATION)."""

    APPLICATION = "Application"
    USER = "User"
    MANUAL = "Manual"
    SERVICE = "Service"
    SCRIPT = "Script"
    SEND = "Send"
    RECEIVE = "Receive"
    REFERENCE = "Reference"
    BUSINESS_RULE = "BusinessRule"
    NONE = "None"


# --------------------------------------------------------------------------- data types


class BasicType(Node):
    kind: Literal["basic"] = "basic"
    type: BasicTypeKind
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    extra_attrs: Attrs = ()


class DeclaredType(Node):
    kind: Literal["declared"] = "declared"
    id: str
    name: str | None = None
    extra_attrs: Attrs = ()


class SchemaType(Node):
    kind: Literal["schema"] = "schema"
    content: tuple[XmlNode, ...] = ()


class ExternalReference(Node):
    kind: Literal["external"] = "external"
    location: str
    xref: str | None = None
    namespace: str | None = None
    extra_attrs: Attrs = ()


class RecordType(Node):
    kind: Literal["record"] = "record"
    members: tuple[DataType, ...] = ()


class UnionType(Node):
    kind: Literal["union"] = "union"
    members: tuple[DataType, ...] = ()


class EnumerationType(Node):
    kind: Literal["enumeration"] = "enumeration"
    values: tuple[str, ...] = ()


class ArrayType(Node):
    kind: Literal["array"] = "array"
    element: DataType
    lower_index: str | None = None
    upper_index: str | None = None


class ListType(Node):
    kind: Literal["list"] = "list"
    element: DataType


DataType = Annotated[
    BasicType
    | DeclaredType
    | SchemaType
    | ExternalReference
    | RecordType
    | UnionType
    | EnumerationType
    | ArrayType
    | ListType,
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------- package parts


class PackageHeader(Node):
    #: the document's XPDL version: bookkeeping (the writer always says 2.2), not compared
    _uncompared: ClassVar[frozenset[str]] = frozenset({"line", "xpdl_version"})

    xpdl_version: str | None = None
    vendor: str | None = None
    created: str | None = None
    modification_date: str | None = None
    description: str | None = None
    documentation: str | None = None
    priority_unit: str | None = None
    cost_unit: str | None = None
    extras: tuple[XmlNode, ...] = ()
    extra_attrs: Attrs = ()


class RedefinableHeader(Node):
    author: str | None = None
    version: str | None = None
    codepage: str | None = None
    country_key: str | None = None
    responsibles: tuple[str, ...] = ()
    publication_status: str | None = None
    extras: tuple[XmlNode, ...] = ()
    extra_attrs: Attrs = ()


class ConformanceClass(Node):
    graph_conformance: str | None = None
    bpmn_portability: str | None = None
    extra_attrs: Attrs = ()


class Script(Node):
    type: str
    version: str | None = None
    grammar: str | None = None
    extra_attrs: Attrs = ()


class ExternalPackage(Extensible):
    href: str | None = None
    id: str | None = None
    name: str | None = None


class TypeDeclaration(Extensible):
    id: str
    name: str | None = None
    data_type: DataType
    description: str | None = None


class Participant(Extensible):
    id: str
    name: str | None = None
    type: ParticipantKind = ParticipantKind.ROLE
    description: str | None = None
    external_reference: ExternalReference | None = None


class FormalParameter(Node):
    id: str
    name: str | None = None
    mode: ParameterMode = ParameterMode.IN
    data_type: DataType
    initial_value: str | None = None
    description: str | None = None
    is_array: bool = False
    index: str | None = None
    extras: tuple[XmlNode, ...] = ()
    extra_attrs: Attrs = ()


class Application(Extensible):
    id: str
    name: str | None = None
    description: str | None = None
    formal_parameters: tuple[FormalParameter, ...] = ()
    external_reference: ExternalReference | None = None
    #: the 2.x ``Type`` element (Ejb, Pojo, Xslt, WebService, ...) kept verbatim
    type: XmlNode | None = None


class DataField(Extensible):
    id: str
    name: str | None = None
    data_type: DataType
    initial_value: str | None = None
    length: str | None = None
    description: str | None = None
    is_array: bool = False
    read_only: bool = False
    correlation: bool = False


# --------------------------------------------------------------------------- activities


class ToolCall(Node):
    """One application call of a Task/TaskApplication (2.x) or Tool (1.0)."""

    application_id: str
    actual_parameters: tuple[str, ...] = ()
    #: 1.0 Tool Type: APPLICATION or PROCEDURE
    tool_type: str | None = None
    description: str | None = None
    extended_attributes: tuple[ExtendedAttribute, ...] = ()
    extras: tuple[XmlNode, ...] = ()
    extra_attrs: Attrs = ()


class NoImplementation(Node):
    """Implementation No: the activity does nothing itself (a person or nothing)."""

    kind: Literal["no"] = "no"
    extra_attrs: Attrs = ()


class TaskImplementation(Node):
    """Implementation Task (2.x) / Tool (1.0)."""

    kind: Literal["task"] = "task"
    task: TaskKind = TaskKind.APPLICATION
    tools: tuple[ToolCall, ...] = ()
    #: script text of a TaskScript
    script: str | None = None
    #: the original Task child (TaskUser, TaskService, ...) verbatim, for non-application tasks
    detail: XmlNode | None = None
    extra_attrs: Attrs = ()


class SubFlowImplementation(Node):
    kind: Literal["subflow"] = "subflow"
    process_id: str
    name: str | None = None
    execution: Execution = Execution.SYNCHR
    actual_parameters: tuple[str, ...] = ()
    package_ref: str | None = None
    instance_data_field: str | None = None
    start_activity_id: str | None = None
    start_activity_set_id: str | None = None
    view: str | None = None
    extras: tuple[XmlNode, ...] = ()
    extra_attrs: Attrs = ()


class ReferenceImplementation(Node):
    kind: Literal["reference"] = "reference"
    activity_id: str
    extra_attrs: Attrs = ()


class Route(Node):
    kind: Literal["route"] = "route"
    #: None: not stated (the activity's join/split decide; 2.x default Exclusive)
    gateway_type: GatewayType | None = None
    extra_attrs: Attrs = ()
    extras: tuple[XmlNode, ...] = ()


class BlockActivity(Node):
    kind: Literal["block"] = "block"
    activity_set_id: str
    start_activity_id: str | None = None
    view: str | None = None
    extra_attrs: Attrs = ()


class Event(Node):
    """A BPMN-style event of XPDL 2.x: start, intermediate or end.

    ``trigger`` is the StartEvent/IntermediateEvent Trigger or the EndEvent Result (None,
    Message, Timer, Error, Terminate, ...). ``detail`` keeps the trigger's child elements
    (TriggerTimer with its TimeDate/TimeCycle, ResultError, ...) verbatim.
    """

    kind: Literal["event"] = "event"
    position: EventPosition
    trigger: str = "None"
    target: str | None = None
    interrupting: bool | None = None
    detail: tuple[XmlNode, ...] = ()
    extra_attrs: Attrs = ()

    @property
    def is_terminate(self) -> bool:
        return self.position is EventPosition.END and self.trigger == "Terminate"


ActivityBody = Annotated[
    NoImplementation
    | TaskImplementation
    | SubFlowImplementation
    | ReferenceImplementation
    | Route
    | BlockActivity
    | Event,
    Field(discriminator="kind"),
]


class Join(Node):
    type: GatewayType = GatewayType.EXCLUSIVE
    #: Complex join condition (XPDL spells the attribute ``IncomingCondtion``)
    incoming_condition: str | None = None
    exclusive_type: str | None = None
    extra_attrs: Attrs = ()


class Split(Node):
    type: GatewayType = GatewayType.EXCLUSIVE
    #: the order in which an Exclusive split evaluates its transitions
    transition_refs: tuple[str, ...] = ()
    outgoing_condition: str | None = None
    exclusive_type: str | None = None
    extra_attrs: Attrs = ()


class Deadline(Node):
    """XPDL allows several per activity; all are kept."""

    duration: str | None = None
    execution: Execution | None = None
    exception_name: str | None = None
    extras: tuple[XmlNode, ...] = ()
    extra_attrs: Attrs = ()
    #: attributes of the DeadlineDuration element (ScriptType, ...)
    duration_attrs: Attrs = ()


class StandardLoop(Node):
    kind: Literal["standard"] = "standard"
    condition: str | None = None
    maximum: int | None = None
    test_time: TestTime = TestTime.AFTER
    counter: str | None = None
    extra_attrs: Attrs = ()


class MultiInstanceLoop(Node):
    kind: Literal["multi_instance"] = "multi_instance"
    #: expression giving the number of instances
    mi_condition: str | None = None
    ordering: MIOrdering = MIOrdering.PARALLEL
    flow_condition: MIFlowCondition = MIFlowCondition.ALL
    complex_flow_condition: str | None = None
    counter: str | None = None
    extra_attrs: Attrs = ()


Loop = Annotated[StandardLoop | MultiInstanceLoop, Field(discriminator="kind")]


class Activity(Extensible):
    id: str
    name: str | None = None
    description: str | None = None
    body: ActivityBody = Field(default_factory=NoImplementation)
    #: participant ids or performer expressions, in order
    performers: tuple[str, ...] = ()
    start_mode: Mode | None = None
    finish_mode: Mode | None = None
    priority: str | None = None
    limit: str | None = None
    deadlines: tuple[Deadline, ...] = ()
    loop: Loop | None = None
    join: Join | None = None
    split: Split | None = None
    data_fields: tuple[DataField, ...] = ()
    #: NodeGraphicsInfos children, verbatim
    graphics: tuple[XmlNode, ...] = ()

    @property
    def is_route(self) -> bool:
        return isinstance(self.body, Route)

    @property
    def event(self) -> Event | None:
        return self.body if isinstance(self.body, Event) else None


class Condition(Node):
    type: ConditionType | None = None
    expression: str | None = None
    extra_attrs: Attrs = ()
    #: attributes of the Expression element (ScriptGrammar, ScriptType, ScriptVersion)
    expression_attrs: Attrs = ()


class Transition(Extensible):
    id: str
    from_: str
    to: str
    name: str | None = None
    condition: Condition | None = None
    description: str | None = None
    #: ConnectorGraphicsInfos children, verbatim
    graphics: tuple[XmlNode, ...] = ()


class ActivitySet(Extensible):
    id: str
    name: str | None = None
    activities: tuple[Activity, ...] = ()
    transitions: tuple[Transition, ...] = ()
    default_start_activity_id: str | None = None


class ProcessHeader(Node):
    created: str | None = None
    description: str | None = None
    priority: str | None = None
    limit: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    duration_unit: str | None = None
    waiting_time: str | None = None
    working_time: str | None = None
    duration: str | None = None
    extras: tuple[XmlNode, ...] = ()
    extra_attrs: Attrs = ()


class WorkflowProcess(Extensible):
    id: str
    name: str | None = None
    access_level: str | None = None
    header: ProcessHeader = Field(default_factory=ProcessHeader)
    redefinable_header: RedefinableHeader | None = None
    formal_parameters: tuple[FormalParameter, ...] = ()
    data_fields: tuple[DataField, ...] = ()
    participants: tuple[Participant, ...] = ()
    applications: tuple[Application, ...] = ()
    activity_sets: tuple[ActivitySet, ...] = ()
    activities: tuple[Activity, ...] = ()
    transitions: tuple[Transition, ...] = ()

    def activity(self, activity_id: str) -> Activity:
        """The top-level or activity-set activity with this Id (KeyError if none)."""
        for a in self.activities:
            if a.id == activity_id:
                return a
        for s in self.activity_sets:
            for a in s.activities:
                if a.id == activity_id:
                    return a
        raise KeyError(f"process {self.id!r} has no activity {activity_id!r}")

    def activity_set(self, set_id: str) -> ActivitySet:
        for s in self.activity_sets:
            if s.id == set_id:
                return s
        raise KeyError(f"process {self.id!r} has no activity set {set_id!r}")


class Lane(Extensible):
    id: str
    name: str | None = None
    parent_pool: str | None = None
    parent_lane: str | None = None
    performers: tuple[str, ...] = ()
    graphics: tuple[XmlNode, ...] = ()


class Pool(Extensible):
    id: str
    name: str | None = None
    process: str | None = None
    participant: str | None = None
    boundary_visible: bool | None = None
    orientation: str | None = None
    lanes: tuple[Lane, ...] = ()
    graphics: tuple[XmlNode, ...] = ()


class Package(Extensible):
    """An XPDL package: the unit that is loaded, validated, deployed and written."""

    _uncompared: ClassVar[frozenset[str]] = frozenset(
        {"line", "source_version", "source_file", "load_diagnostics"}
    )

    id: str
    name: str | None = None
    header: PackageHeader = Field(default_factory=PackageHeader)
    redefinable_header: RedefinableHeader | None = None
    conformance_class: ConformanceClass | None = None
    script: Script | None = None
    external_packages: tuple[ExternalPackage, ...] = ()
    type_declarations: tuple[TypeDeclaration, ...] = ()
    participants: tuple[Participant, ...] = ()
    applications: tuple[Application, ...] = ()
    data_fields: tuple[DataField, ...] = ()
    workflow_processes: tuple[WorkflowProcess, ...] = ()
    pools: tuple[Pool, ...] = ()
    #: MessageFlows, Associations and Artifacts children, verbatim (2.2 namespace)
    message_flows: tuple[XmlNode, ...] = ()
    associations: tuple[XmlNode, ...] = ()
    artifacts: tuple[XmlNode, ...] = ()
    #: vendor namespace prefixes declared on the root, re-declared when written
    namespaces: tuple[tuple[str, str], ...] = ()

    # -- bookkeeping, not compared --
    source_version: str | None = None
    source_file: str | None = None
    #: findings made while loading (schema violations, namespace warnings, ...)
    load_diagnostics: tuple[Diagnostic, ...] = ()

    def process(self, process_id: str | None = None) -> WorkflowProcess:
        """The process with this Id; the first process when ``process_id`` is None."""
        if process_id is None:
            if not self.workflow_processes:
                raise KeyError(f"package {self.id!r} has no workflow process")
            return self.workflow_processes[0]
        for p in self.workflow_processes:
            if p.id == process_id:
                return p
        known = ", ".join(p.id for p in self.workflow_processes) or "none"
        raise KeyError(f"package {self.id!r} has no process {process_id!r} (has: {known})")


for _cls in list(globals().values()):
    if isinstance(_cls, type) and issubclass(_cls, BaseModel) and _cls is not BaseModel:
        _cls.model_rebuild()
