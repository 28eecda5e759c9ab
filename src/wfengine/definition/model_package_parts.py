"""The declarations a package (and a process) holds: headers, participants, applications, data.

These are what activities and processes refer to by Id; they know nothing of control flow.
"""

from __future__ import annotations

from typing import ClassVar

from wfengine.definition.model_data_types import DataType, ExternalReference
from wfengine.definition.model_enums import ParameterMode, ParticipantKind
from wfengine.definition.model_nodes import Attrs, Extensible, Node, XmlNode


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
    #: the InitialValue element's attributes (2.x ExpressionType: ScriptType, ScriptGrammar...)
    initial_value_attrs: Attrs = ()
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
    #: the InitialValue element's attributes (2.x ExpressionType: ScriptType, ScriptGrammar...)
    initial_value_attrs: Attrs = ()
    length: str | None = None
    description: str | None = None
    is_array: bool = False
    read_only: bool = False
    correlation: bool = False
