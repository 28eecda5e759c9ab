"""Data types of fields, parameters and type declarations, as one discriminated union.

``DataType`` is discriminated by ``kind`` so a model validated from a mapping (or JSON) picks
the right class without guessing. Record, union, array and list types nest ``DataType``
itself, which is why the classes are rebuilt once the union exists.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from wfengine.definition.model_enums import BasicTypeKind
from wfengine.definition.model_nodes import Attrs, Node, XmlNode


class BasicType(Node):
    kind: Literal["basic"] = "basic"
    type: BasicTypeKind
    #: a number of characters, or what the file says (2.x's Length is text: "unbounded")
    length: int | str | None = None
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
    """A type whose values are the listed texts (XPDL ``EnumerationType``): a field of it
    holds one of them, as ``PackageBuilder.type_declaration("Colour",
    EnumerationType(values=("red", "green")))`` declares."""

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


# The nested types name ``DataType`` before it exists; resolve them now, while importing,
# rather than on first use.
for _cls in list(globals().values()):
    if isinstance(_cls, type) and issubclass(_cls, BaseModel) and _cls is not BaseModel:
        _cls.model_rebuild()
