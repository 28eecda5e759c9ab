"""The reader's bookkeeping: which parts of an element were read, and what happens to the rest.

The promise "nothing is silently dropped" is kept mechanically rather than by care in every
reading function: each element is read through a :class:`Cursor` that hands out attributes and
XPDL children and remembers what it handed out. Whatever nobody asked for becomes ``extras``
(child elements, kept verbatim as :class:`~wfengine.definition.model.XmlNode`) and
``extra_attrs`` (attributes). Where a model class has no room for leftovers, child elements go
to the nearest enclosing ``extras`` and attributes are reported with an ``xpdl-unreadable``
warning, so a loss is at least never silent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypedDict, TypeVar, cast

from lxml import etree
from pydantic import ValidationError

from wfengine.definition import diagnostics
from wfengine.definition.diagnostics import Diagnostic
from wfengine.definition.model import (
    DEPRECATED_NS,
    WFENGINE_NS,
    XPDL22_NS,
    XPDL_NAMESPACES,
    Attrs,
    XmlNode,
)

#: namespaces whose elements the reader treats as XPDL (the 1.0 namespace doubles as the 2.x
#: ``deprecated`` namespace).
XPDL_LIKE_NAMESPACES: frozenset[str] = frozenset(XPDL_NAMESPACES) | {DEPRECATED_NS}

T = TypeVar("T")


class Unreadable(Exception):
    """Raised by a reading function when an element cannot become a model node.

    The caller keeps the element verbatim in the nearest ``extras`` and warns; content problems
    never abort a load.
    """


def local_name(el: etree._Element) -> str:
    return etree.QName(el).localname


def namespace_of(el: etree._Element) -> str | None:
    return etree.QName(el).namespace


def is_xpdl(el: etree._Element) -> bool:
    """An element in any XPDL namespace, or in none (documents written without a namespace)."""
    ns = namespace_of(el)
    return ns is None or ns in XPDL_LIKE_NAMESPACES


def _matches(el: etree._Element, names: tuple[str, ...], namespace: str | None) -> bool:
    """``el`` has one of ``names`` and is XPDL (``namespace`` None) or in ``namespace``."""
    in_namespace = is_xpdl(el) if namespace is None else namespace_of(el) == namespace
    return in_namespace and local_name(el) in names


def is_extensions_marker(el: etree._Element) -> bool:
    """An empty XPDL ``<Extensions/>``: the 2.x schemas' marker before a run of vendor elements.

    The schema documents it as "needed to distinguish neighboring wildcard elements, it is not
    functional"; the writer adds it wherever vendor elements need it, so it is not kept as an
    extra (it would otherwise come back from every written file as one). An ``Extensions``
    with attributes, text or children says something and is kept like any unknown element.
    """
    return (
        is_xpdl(el)
        and local_name(el) == "Extensions"
        and not el.attrib
        and len(el) == 0
        and not (el.text or "").strip()
    )


_ALL_ATTRIBUTES = etree.XPath("@*")
#: up to this many attributes, lxml's quadratic ``attrib.items()`` is the faster way
_FEW_ATTRIBUTES = 32


def attribute_items(el: etree._Element) -> Attrs:
    """``el``'s attributes as (name, value) pairs in document order, Clark names for namespaced.

    Not ``el.attrib.items()``: lxml looks each value up again by its name in the element's
    attribute list, which makes that call quadratic in the number of attributes (20,000
    attributes on one element took seconds; the 200,000 of a hostile document, minutes). The
    XPath ``@*`` walks the list once and each result knows its attribute's name. It costs more
    per call, so the few attributes of an ordinary element are still read the direct way.
    """
    attrib = el.attrib
    if len(attrib) <= _FEW_ATTRIBUTES:
        return tuple((str(k), str(v)) for k, v in attrib.items())
    # lxml-stubs types an XPath result loosely; ``@*`` always yields "smart" attribute strings
    results = cast("list[Any]", _ALL_ATTRIBUTES(el))
    return tuple((str(r.attrname), str(r)) for r in results)


def element_children(el: etree._Element) -> list[etree._Element]:
    """Child elements only: comments and processing instructions carry no model content."""
    return [c for c in el if isinstance(c.tag, str)]


def line_of(el: etree._Element) -> int | None:
    """The element's 1-based source line (None when lxml does not know it)."""
    line = el.sourceline
    return line if isinstance(line, int) else None


def all_text(el: etree._Element) -> str:
    """All text inside ``el`` (its descendants' too), unstripped."""
    return "".join(str(t) for t in el.itertext())


def _blank_to_none(text: str | None) -> str | None:
    return text if text is not None and text.strip() else None


def to_xml_node(el: etree._Element, *, foreign: bool = False) -> XmlNode:
    """Keep ``el`` verbatim as an XmlNode.

    XPDL-namespace elements (any version, the deprecated namespace, or no namespace outside a
    vendor element) are re-tagged into the 2.2 namespace so the writer can emit them as they
    are; vendor elements keep their tag. Whitespace-only text and tails are dropped: they are
    indentation, and the writer indents on its own. Namespace declarations below the root
    that a value relies on are kept with the element (:attr:`XmlNode.namespaces`).
    """
    return _kept(el, foreign, None, top=True)[0]


def mixed_content(el: etree._Element, *, foreign: bool) -> tuple[str | None, tuple[XmlNode, ...]]:
    """The content of ``el`` as XmlNode holds it: leading text and verbatim children.

    Text after a child element is that child's ``tail``; text after a comment or processing
    instruction is joined to what precedes it, so no text is lost to a comment. Blank text is
    None. ``foreign`` is passed on to :func:`to_xml_node` for the children.
    """
    text, children, _ = _content(el, foreign, None, top=True)
    return text, children


def value_declarations(
    el: etree._Element, values: Iterable[str | None]
) -> tuple[tuple[str, str], ...]:
    """The declarations in scope at ``el`` for the prefixes its ``values`` (an attribute's,
    its text) name as QNames (``o:OrderType``), less those a written package's root makes:
    what the element must declare for them to name the same namespace once written."""
    need: set[str] = set()
    for value in values:
        if value is not None and ":" in value:
            need.update(_PREFIXED.findall(value))
    if not need:
        return ()
    declared, _ = _declarations(el.nsmap, _root_scope(el), need, default=False, top=True)
    return declared


#: what may be a namespace prefix in a value (``o:OrderT``, ``w:thing``); a word before a
#: colon that no declaration binds (``urn:order``, ``http://``) is passed over
_PREFIXED = re.compile(r"([A-Za-z_][\w.\-]*):")

Scope = dict[str | None, str]


def _kept(
    el: etree._Element, foreign: bool, parent_scope: Scope | None, *, top: bool
) -> tuple[XmlNode, frozenset[str]]:
    """``el`` as an XmlNode, and the prefixes its values use that a declaration above it binds
    (the ones its own declarations do not)."""
    ns = namespace_of(el)
    if ns in XPDL_LIKE_NAMESPACES or (ns is None and not foreign):
        tag = f"{{{XPDL22_NS}}}{local_name(el)}"
        child_foreign = False
    else:
        tag = str(el.tag)
        child_foreign = True
    # a vendor element may declare another default namespace, which its unprefixed QName
    # values then name: its scope is always needed; an XPDL one's only when a value has a prefix
    scope: Scope | None = el.nsmap if child_foreign else None
    text, children, need = _content(el, child_foreign, scope, top=False)
    attrs = attribute_items(el)
    if text is not None and ":" in text:
        need.update(_PREFIXED.findall(text))
    for _, value in attrs:
        if ":" in value:
            need.update(_PREFIXED.findall(value))
    declared: tuple[tuple[str, str], ...] = ()
    unresolved = frozenset(need)
    if need or (child_foreign and ns is not None):
        if scope is None:
            scope = el.nsmap
        if top:
            base = _root_scope(el)
        elif parent_scope is not None:
            base = parent_scope
        else:
            parent = el.getparent()
            base = parent.nsmap if parent is not None else {}
        default = child_foreign and ns is not None
        declared, unresolved = _declarations(scope, base, need, default=default, top=top)
    node = XmlNode(
        tag=tag,
        attrs=attrs,
        text=text,
        tail=_blank_to_none(el.tail),
        children=children,
        namespaces=declared,
        line=line_of(el),
    )
    return node, unresolved


def _content(
    el: etree._Element, foreign: bool, scope: Scope | None, *, top: bool
) -> tuple[str | None, tuple[XmlNode, ...], set[str]]:
    """:func:`mixed_content`, and the prefixes the children's values use that they do not
    declare."""
    children: list[XmlNode] = []
    need: set[str] = set()
    text = el.text
    for child in el:
        if isinstance(child.tag, str):
            node, used = _kept(child, foreign, scope, top=top)
            children.append(node)
            if used:
                need |= used
            if node.tail is not None and ":" in node.tail:  # (the text of ``el``)
                need.update(_PREFIXED.findall(node.tail))
        elif child.tail:
            if ":" in child.tail:
                need.update(_PREFIXED.findall(child.tail))
            if children:
                last = children[-1]
                children[-1] = last.model_copy(update={"tail": (last.tail or "") + child.tail})
            else:
                text = (text or "") + child.tail
    return _blank_to_none(text), tuple(children), need


def _root_scope(el: etree._Element) -> Scope:
    """The declarations a written package makes on its root for those of the source's root:
    its vendor prefixes (:attr:`~wfengine.definition.model.Package.namespaces`), and the 2.2
    namespace as the default."""
    root = el.getroottree().getroot()
    scope: Scope = {
        prefix: uri
        for prefix, uri in root.nsmap.items()
        if prefix is not None and uri not in XPDL_LIKE_NAMESPACES and uri != WFENGINE_NS
    }
    scope[None] = XPDL22_NS
    return scope


def _declarations(
    scope: Scope, base: Scope, need: set[str], *, default: bool, top: bool
) -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    """The declarations an element keeps: those in its ``scope`` and not in its parent's
    (``base``) for the prefixes its values ``need``, and (``default``) a default namespace
    of its own; and the needed prefixes its parent's scope binds."""
    declared: list[tuple[str, str]] = []
    if default:
        own, above = _default(scope.get(None)), _default(base.get(None))
        if own != above:
            declared.append(("", own))
    above_need: set[str] = set()
    for prefix in sorted(need):
        uri = scope.get(prefix)
        if uri is None:
            continue  # no prefix: "urn:", "http:", or one the source never declared
        if base.get(prefix) == uri:
            above_need.add(prefix)
        else:
            declared.append((prefix, uri))
    return tuple(declared), frozenset() if top else frozenset(above_need)


def _default(uri: str | None) -> str:
    """A default namespace as the writer has it: every XPDL one is 2.2; none is ``""``."""
    if uri in XPDL_LIKE_NAMESPACES:
        return XPDL22_NS
    return uri or ""


def element_text(el: etree._Element | None) -> str | None:
    """The element's whole text content, stripped; None when empty."""
    if el is None:
        return None
    text = all_text(el).strip()
    return text or None


@dataclass
class ReadContext:
    """State shared by one read: the XPDL version and the findings made so far."""

    version: str
    source: str | None = None
    findings: list[Diagnostic] = field(default_factory=list)

    def warn(
        self,
        code: str,
        message: str,
        el: etree._Element | None = None,
        element_id: str | None = None,
    ) -> None:
        line = line_of(el) if el is not None else None
        if element_id is None and el is not None:
            element_id = el.get("Id")
        self.findings.append(
            diagnostics.make(code, message, line=line, element_id=element_id, file=self.source)
        )

    def text_of(self, el: etree._Element) -> str | None:
        """The text of an element the model holds as a string; structure on it is reported."""
        if element_children(el):
            self.warn(
                "xpdl-unreadable",
                f"<{local_name(el)}> at line {line_of(el)} has element content; "
                "only its text is kept",
                el,
            )
        Cursor(self, el).drop_attrs()
        return element_text(el)

    def prose_of(self, el: etree._Element) -> str | None:
        """The text of a free-text element (Description, Documentation) exactly as written:
        its indentation, line breaks and leading or trailing spaces are the author's, so a
        written file keeps them. None only when it has no text at all. Structure on it is
        reported, as :meth:`text_of` does."""
        if element_children(el):
            self.warn(
                "xpdl-unreadable",
                f"<{local_name(el)}> at line {line_of(el)} has element content; "
                "only its text is kept",
                el,
            )
        Cursor(self, el).drop_attrs()
        return all_text(el) or None

    def text_and_attrs(self, el: etree._Element) -> tuple[str | None, Attrs]:
        """Text and all attributes of an element the model holds as a string plus attributes.

        For expression-like elements (DeadlineDuration, Expression) whose attributes
        (ScriptType, ScriptGrammar, ...) the model keeps beside the text.
        """
        if element_children(el):
            self.warn(
                "xpdl-unreadable",
                f"<{local_name(el)}> at line {line_of(el)} has element content; "
                "only its text is kept",
                el,
            )
        return element_text(el), Cursor(self, el).extra_attrs()

    def unreadable(self, el: etree._Element, why: str) -> None:
        self.warn(
            "xpdl-unreadable",
            f"<{local_name(el)}> at line {line_of(el)} could not be read ({why}); "
            "it is kept as XML",
            el,
        )

    def read_each(
        self,
        elements: Iterable[etree._Element],
        read: Callable[[ReadContext, etree._Element], T],
        spill: list[XmlNode],
    ) -> list[T]:
        """Read every element with ``read``; one that fails is kept in ``spill`` with a warning."""
        out: list[T] = []
        for el in elements:
            node = self.read_one(el, read, spill)
            if node is not None:
                out.append(node)
        return out

    def read_one(
        self,
        el: etree._Element,
        read: Callable[[ReadContext, etree._Element], T],
        spill: list[XmlNode],
    ) -> T | None:
        """Read one element; on failure keep it in ``spill`` with a warning and return None."""
        mark = len(self.findings)
        spilled = len(spill)
        try:
            return read(self, el)
        except Unreadable as exc:
            why = str(exc)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            why = f"{loc}: {first['msg']}" if loc else str(first["msg"])
        # what was said or spilled about parts of an element now kept whole would duplicate it
        del self.findings[mark:]
        del spill[spilled:]
        self.unreadable(el, why)
        spill.append(to_xml_node(el))
        return None


class Leftovers(TypedDict):
    """What a model node keeps of its element besides the XPDL it reads: see :meth:`Cursor.rest`."""

    extras: tuple[XmlNode, ...]
    extra_attrs: Attrs
    line: int | None


class Cursor:
    """Reads one element: hands out attributes and XPDL children, keeps track of the rest."""

    def __init__(self, ctx: ReadContext, el: etree._Element) -> None:
        self.ctx = ctx
        self.el = el
        self._children = element_children(el)
        self._taken: set[int] = set()
        self._attrs_taken: set[str] = set()

    @property
    def line(self) -> int | None:
        return line_of(self.el)

    @property
    def name(self) -> str:
        return local_name(self.el)

    # -- attributes --

    def attr(self, name: str) -> str | None:
        """The attribute's value (None when absent); it counts as read."""
        self._attrs_taken.add(name)
        value = self.el.get(name)
        return None if value is None else str(value)

    def required_attr(self, name: str) -> str:
        value = self.attr(name)
        if value is None:
            raise Unreadable(f"required attribute {name} is missing")
        return value

    def attr_bool(self, name: str) -> bool | None:
        """A boolean attribute: 1.0's TRUE/FALSE and 2.x's true/false (and 1/0).

        A value that is not a boolean is left unread, so it lands in ``extra_attrs``.
        """
        raw = self.el.get(name)
        if raw is None:
            self._attrs_taken.add(name)
            return None
        value = str(raw).strip().lower()
        if value in ("true", "1"):
            self._attrs_taken.add(name)
            return True
        if value in ("false", "0"):
            self._attrs_taken.add(name)
            return False
        self.ctx.warn(
            "xpdl-unreadable",
            f"attribute {name}={raw!r} of <{self.name}> at line {self.line} is not a boolean; "
            "it is kept as an unknown attribute",
            self.el,
        )
        return None

    def attr_choice(self, name: str, mapping: dict[str, T]) -> T | None:
        """An enumerated attribute mapped through ``mapping``; an unknown value stays unread.

        A value that differs from a known one only in case (``Type="and"``, ``Mode="in"``,
        as hand-written and some tools' files have it) is read as that one: the schema check
        reports the spelling, and the written file has the schema's. Any other value is
        unknown: the element reads as if the attribute were absent, and the value is kept
        as an unknown attribute (written back where the model has no value of its own for
        it; where it has a default, the default is written).
        """
        raw = self.el.get(name)
        if raw is None:
            self._attrs_taken.add(name)
            return None
        key = str(raw).strip()
        found = mapping.get(key)
        if found is None:
            found = next((v for k, v in mapping.items() if k.lower() == key.lower()), None)
        if found is not None:
            self._attrs_taken.add(name)
            return found
        self.ctx.warn(
            "xpdl-unreadable",
            f"attribute {name}={raw!r} of <{self.name}> at line {self.line} has an unknown "
            "value; it is kept as an unknown attribute, and the element acts as if it had "
            "none",
            self.el,
        )
        return None

    def skip_attr(self, *names: str) -> None:
        """Mark attributes as read whose meaning the model already holds in another form."""
        self._attrs_taken.update(names)

    # -- children --

    def children(self, *names: str, namespace: str | None = None) -> list[etree._Element]:
        """All not-yet-read XPDL children with one of these local names, in document order.

        ``namespace`` looks in that namespace instead of XPDL's: the writer keeps values 2.2
        has no element for in wfengine's own (``WFENGINE_NS``), and those map back too.
        """
        out = []
        for i, child in enumerate(self._children):
            if i not in self._taken and _matches(child, names, namespace):
                self._taken.add(i)
                out.append(child)
        return out

    def child(self, *names: str, namespace: str | None = None) -> etree._Element | None:
        """The first not-yet-read XPDL (or ``namespace``) child with one of these local names."""
        for i, child in enumerate(self._children):
            if i not in self._taken and _matches(child, names, namespace):
                self._taken.add(i)
                return child
        return None

    def text_and_attrs(self, *names: str) -> tuple[str | None, Attrs]:
        """Text and attributes of the first such child: an expression element whose
        ScriptType/ScriptGrammar the model keeps beside the text (2.x ExpressionType)."""
        el = self.child(*names)
        return (None, ()) if el is None else self.ctx.text_and_attrs(el)

    def text(self, *names: str) -> str | None:
        """Text of the first such child, as :func:`element_text`.

        The model holds only the text of such elements (names, dates, expressions), so any
        attribute on the child (``ScriptGrammar`` on an expression, say) is reported as lost.
        """
        el = self.child(*names)
        return None if el is None else self.ctx.text_of(el)

    def prose(self, *names: str) -> str | None:
        """Text of the first such child exactly as written (:meth:`ReadContext.prose_of`):
        a Description or Documentation, whose spaces and line breaks are the author's."""
        el = self.child(*names)
        return None if el is None else self.ctx.prose_of(el)

    def wrapped(
        self, wrapper: str, item: str, spill: list[XmlNode], *, namespace: str | None = None
    ) -> list[etree._Element]:
        """Items of a list wrapper (``<Activities><Activity/>...``), wrapper leftovers spilled.

        With ``namespace``, wrapper and items are looked up in that namespace (see
        :meth:`children`).
        """
        out: list[etree._Element] = []
        for w in self.children(wrapper, namespace=namespace):
            inner = Cursor(self.ctx, w)
            out.extend(inner.children(item, namespace=namespace))
            inner.spill(spill)
        return out

    # -- leftovers --

    def extras(self) -> tuple[XmlNode, ...]:
        """The children nobody read, kept verbatim; they count as read from now on.

        Marking them read hands each leftover out once: a node that keeps its own ``extras``
        and is then spilled (a SubFlow inside its Implementation) must not pass the same
        children on to the enclosing node's ``extras`` as well.
        """
        unread = [i for i in range(len(self._children)) if i not in self._taken]
        self._taken.update(unread)
        return tuple(
            to_xml_node(self._children[i])
            for i in unread
            if not is_extensions_marker(self._children[i])
        )

    def extra_attrs(self) -> Attrs:
        """The attributes nobody read (Clark notation for namespaced ones), in document order."""
        return tuple((k, v) for k, v in attribute_items(self.el) if k not in self._attrs_taken)

    def rest(self, spill: list[XmlNode]) -> Leftovers:
        """The element's leftovers and source line, as keyword arguments of its model node.

        Every node with room for leftovers takes the same three: unread children plus what its
        parts spilled, unread attributes, and the line. Call it after everything else is read
        (last in the constructor call), or the parts read after it would count as leftovers.
        """
        return Leftovers(
            extras=self.extras() + tuple(spill),
            extra_attrs=self.extra_attrs(),
            line=self.line,
        )

    def spill(self, target: list[XmlNode], *, attrs: bool = True) -> None:
        """For model nodes without room for leftovers: children to ``target``, attributes warned."""
        target.extend(self.extras())
        if attrs:
            self.drop_attrs()

    def drop_attrs(self) -> None:
        """Warn about unread attributes of a node that has no ``extra_attrs``."""
        for k, _v in self.extra_attrs():
            self.ctx.warn(
                "xpdl-unreadable",
                f"attribute {k} of <{self.name}> at line {self.line} has no place in the model "
                "and is not kept",
                self.el,
            )
        self._attrs_taken.update(str(k) for k in self.el.attrib)
