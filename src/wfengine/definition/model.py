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
* This module is the model's public face: everything is imported from here. The classes live
  in modules by what they are (``model_nodes``: the base and verbatim XML; ``model_enums``;
  ``model_data_types``; ``model_package_parts``: declarations; ``model_activities``;
  ``model_processes``: transitions, activity sets, processes; ``namespaces``), and the package
  level (``Package`` with its pools and lanes) is here.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from wfengine.definition.diagnostics import Diagnostic
from wfengine.definition.model_activities import (
    Activity,
    ActivityBody,
    BlockActivity,
    Deadline,
    Event,
    Join,
    Loop,
    MultiInstanceLoop,
    NoImplementation,
    ReferenceImplementation,
    Route,
    Split,
    StandardLoop,
    SubFlowImplementation,
    TaskImplementation,
    ToolCall,
)
from wfengine.definition.model_data_types import (
    ArrayType,
    BasicType,
    DataType,
    DeclaredType,
    EnumerationType,
    ExternalReference,
    ListType,
    RecordType,
    SchemaType,
    UnionType,
)
from wfengine.definition.model_enums import (
    BasicTypeKind,
    ConditionType,
    EventPosition,
    Execution,
    GatewayType,
    MIFlowCondition,
    MIOrdering,
    Mode,
    ParameterMode,
    ParticipantKind,
    TaskKind,
    TestTime,
)
from wfengine.definition.model_nodes import (
    Attrs,
    ExtendedAttribute,
    Extensible,
    Node,
    XmlNode,
)
from wfengine.definition.model_package_parts import (
    Application,
    ConformanceClass,
    DataField,
    ExternalPackage,
    FormalParameter,
    PackageHeader,
    Participant,
    RedefinableHeader,
    Script,
    TypeDeclaration,
)
from wfengine.definition.model_processes import (
    ActivitySet,
    Condition,
    ProcessHeader,
    Transition,
    WorkflowProcess,
)
from wfengine.definition.namespaces import (
    DEPRECATED_NS,
    WFENGINE_NS,
    XPDL22_NS,
    XPDL_NAMESPACES,
)

__all__ = [
    "DEPRECATED_NS",
    "WFENGINE_NS",
    "XPDL22_NS",
    "XPDL_NAMESPACES",
    "Activity",
    "ActivityBody",
    "ActivitySet",
    "Application",
    "ArrayType",
    "Attrs",
    "BasicType",
    "BasicTypeKind",
    "BlockActivity",
    "Condition",
    "ConditionType",
    "ConformanceClass",
    "DataField",
    "DataType",
    "Deadline",
    "DeclaredType",
    "EnumerationType",
    "Event",
    "EventPosition",
    "Execution",
    "ExtendedAttribute",
    "Extensible",
    "ExternalPackage",
    "ExternalReference",
    "FormalParameter",
    "GatewayType",
    "Join",
    "Lane",
    "ListType",
    "Loop",
    "MIFlowCondition",
    "MIOrdering",
    "Mode",
    "MultiInstanceLoop",
    "NoImplementation",
    "Node",
    "Package",
    "PackageHeader",
    "ParameterMode",
    "Participant",
    "ParticipantKind",
    "Pool",
    "ProcessHeader",
    "RecordType",
    "RedefinableHeader",
    "ReferenceImplementation",
    "Route",
    "SchemaType",
    "Script",
    "Split",
    "StandardLoop",
    "SubFlowImplementation",
    "TaskImplementation",
    "TaskKind",
    "TestTime",
    "ToolCall",
    "Transition",
    "TypeDeclaration",
    "UnionType",
    "WorkflowProcess",
    "XmlNode",
]


class Lane(Extensible):
    """A swimlane of a :class:`Pool`: diagram structure, with the performers it stands for."""

    id: str
    name: str | None = None
    parent_pool: str | None = None
    parent_lane: str | None = None
    performers: tuple[str, ...] = ()
    graphics: tuple[XmlNode, ...] = ()


class Pool(Extensible):
    """A pool of the diagram (XPDL 2.x ``Pool``): the process it draws and its lanes
    (:class:`Lane`); added to a built package with ``PackageBuilder.pool``."""

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
        {
            "line",
            "source_version",
            "source_file",
            "load_diagnostics",
            "prolog_comments",
            "head_comments",
        }
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
    #: the texts of the comments before the root element (``prolog``) and inside it before its
    #: first child (``head``): a file's header, where tools write their copyright and licence
    #: and authors their note on the file. The writer writes them back in those places, so
    #: ``wfengine convert`` keeps them; comments deeper in are not kept (the writer orders and
    #: rewrites the elements, so a comment would not stay beside what it spoke of). Bookkeeping:
    #: not compared, not dumped, and out of the JSON schema, so the model's format
    #: (``model_format.MODEL_FORMAT``) is unchanged, as for ``Activity.performer_lines``
    prolog_comments: SkipJsonSchema[tuple[str, ...]] = Field(default=(), exclude=True)
    head_comments: SkipJsonSchema[tuple[str, ...]] = Field(default=(), exclude=True)

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


# Every class complete once the model is imported (pydantic would otherwise finish an incomplete
# one on its first use, in the middle of whatever the caller was doing).
for _cls in list(globals().values()):
    if isinstance(_cls, type) and issubclass(_cls, BaseModel) and _cls is not BaseModel:
        _cls.model_rebuild()
