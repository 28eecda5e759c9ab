"""The base of every model class, and the parts every element may carry.

``Node`` is where the model's promises live: frozen, strict about field names, and compared
without ``line`` (a model read back from written XML equals the original). ``XmlNode`` keeps
what the model does not understand verbatim, and ``Extensible`` gives an element the
extended attributes and unknown content XPDL allows on it, so nothing is silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

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
    #: namespace declarations made on this element (or, on the outermost kept element, above
    #: it in the source, below the root) that its values rely on: (prefix, namespace), the
    #: prefix ``""`` the default namespace. A QName in a value (``type="o:OrderT"`` in an
    #: embedded XML Schema, ``v:ref="w:thing"``) names its namespace only through them; the
    #: writer declares them on the element again. Tags and attribute names need none: they
    #: are kept in Clark notation.
    namespaces: tuple[tuple[str, str], ...] = ()

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
    #: namespace declarations (prefix, URI) that the value or the text name by prefix
    #: (``Value="o:OrderType"``) and the package's root does not make: written on the element
    namespaces: tuple[tuple[str, str], ...] = ()


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


def descendants(node: BaseModel) -> Iterator[BaseModel]:
    """``node`` and every model node under it, parents first, in field order; verbatim XML
    (:class:`XmlNode`) is neither yielded nor looked into. Checks that look for one kind of
    node anywhere in a package (every Extensible, every Id, every DeclaredType) walk this."""
    if isinstance(node, XmlNode):
        return
    yield node
    for value in node.__dict__.values():
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, BaseModel):
                yield from descendants(item)


# ``XmlNode`` nests itself; resolve it now, while importing, rather than on first use.
for _cls in list(globals().values()):
    if isinstance(_cls, type) and issubclass(_cls, BaseModel) and _cls is not BaseModel:
        _cls.model_rebuild()
