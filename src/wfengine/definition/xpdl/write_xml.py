"""Small element-building helpers shared by the XPDL 2.2 writer modules.

Every element is created with ``SubElement`` under its real parent, never free-standing and
attached later: lxml then reuses the namespace declarations in scope (the root's default 2.2
namespace) instead of declaring a fresh prefix on each element. Child order is not decided here;
:mod:`write_order` sorts every XPDL element's children by the schema once the tree is built.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from xml.sax.saxutils import quoteattr

from lxml import etree

from wfengine.definition.model import (
    DEPRECATED_NS,
    WFENGINE_NS,
    XPDL22_NS,
    XPDL_NAMESPACES,
    Attrs,
    ExtendedAttribute,
    XmlNode,
)
from wfengine.definition.xpdl.kept import VERBATIM, needs_mark

Element = etree._Element

#: prefix of wfengine's own namespace (``model.WFENGINE_NS``), for model values XPDL 2.2 has
#: no place for (see :func:`own`).
WFENGINE_PREFIX = "wfe"

#: an element with more attributes than this is built with all of them at once (see
#: :func:`attributes_in_bulk`); no real XPDL element comes near it
BULK_ATTRIBUTES = 64

_XML_NS = "http://www.w3.org/XML/1998/namespace"

#: inside :func:`attributes_in_bulk`: the elements whose many attributes wait to be applied
_deferred: ContextVar[list[tuple[Element, list[tuple[str, str]]]] | None] = ContextVar(
    "wfengine_deferred_attributes", default=None
)


def q(local: str, namespace: str = XPDL22_NS) -> str:
    """Clark name of an XPDL 2.2 element (or of ``local`` in another namespace)."""
    return f"{{{namespace}}}{local}"


def sub(parent: Element, local: str, text: str | None = None, **attrs: str | None) -> Element:
    """Append an XPDL 2.2 child; attributes whose value is None are left out."""
    child = etree.SubElement(parent, q(local, _namespace_of(parent)))
    if text is not None:
        child.text = text
    set_attrs(child, attrs.items())
    return child


def _namespace_of(parent: Element) -> str:
    """Children of ``deprecated:`` (1.0) elements stay in the 1.0 namespace; others are 2.2."""
    return DEPRECATED_NS if etree.QName(parent).namespace == DEPRECATED_NS else XPDL22_NS


def text_child(parent: Element, local: str, text: str | None) -> Element | None:
    """Append ``<local>text</local>`` when there is text to write."""
    return None if text is None else sub(parent, local, text)


def expression_child(parent: Element, local: str, text: str | None, attrs: Attrs) -> None:
    """An expression element (2.x ExpressionType) with its attributes (ScriptType, ...),
    when there is text."""
    element = text_child(parent, local, text)
    if element is not None:
        set_extra_attrs(element, attrs)


def text_children(parent: Element, texts: Iterable[tuple[str, str | None]]) -> None:
    """Append ``<local>text</local>`` for each (local, text) pair that has text, in order.

    Headers are mostly optional text elements in a fixed schema order; one call per header
    keeps that order visible as a single list instead of a run of :func:`text_child` calls.
    """
    for local, text in texts:
        text_child(parent, local, text)


def text_list(parent: Element, wrapper: str, local: str, texts: Iterable[str]) -> None:
    """Append ``<wrapper><local>text</local>...</wrapper>``, or nothing when there are no texts.

    XPDL lists plain values this way in several places (Performers, Responsibles, the 1.0
    ActualParameters); an empty wrapper is left out because the schemas require one child.
    """
    texts = tuple(texts)
    if texts:
        element = sub(parent, wrapper)
        for text in texts:
            sub(element, local, text)


def set_attrs(element: Element, attrs: Iterable[tuple[str, str | None]]) -> None:
    """Set attributes in order, skipping None values and names already set.

    Typed attributes are set first, so a stray duplicate in ``extra_attrs`` never overrides
    what the model says. More than :data:`BULK_ATTRIBUTES` are not set here but, inside
    :func:`attributes_in_bulk`, when it ends: lxml sets each attribute by walking the
    element's attribute list, so setting many one by one is quadratic (the 200,000 unknown
    attributes of a hostile ``<Package>`` would take hours).
    """
    pending = [(name, value) for name, value in attrs if value is not None]
    deferred = _deferred.get()
    if deferred is not None and len(pending) > BULK_ATTRIBUTES:
        deferred.append((element, pending))
        return
    for name, value in pending:
        if element.get(name) is None:
            element.set(name, value)


@contextmanager
def attributes_in_bulk() -> Iterator[None]:
    """Apply the many attributes :func:`set_attrs` put off, once the block's tree is built.

    Each such element is replaced by one parsed from a start tag holding all its attributes,
    the one way lxml builds an attribute list in linear time, and its content moves over. It
    happens at the end because the writer functions keep using the elements they created.
    """
    deferred: list[tuple[Element, list[tuple[str, str]]]] = []
    token = _deferred.set(deferred)
    try:
        yield
    finally:
        _deferred.reset(token)
    for element, attrs in deferred:
        _rebuild_with(element, attrs)


def _rebuild_with(element: Element, attrs: list[tuple[str, str]]) -> None:
    """Replace ``element`` in its parent by an equal one that also has ``attrs`` (new names)."""
    parent = element.getparent()
    present = set(element.attrib.keys())
    combined = [(str(name), str(value)) for name, value in element.attrib.items()]
    for name, value in attrs:
        if name not in present:
            present.add(name)
            combined.append((name, value))
    rebuilt = None if parent is None else _parsed_element(element.tag, element.nsmap, combined)
    if rebuilt is None:  # no parent, or names or values XML cannot hold: lxml's way and errors
        set_attrs(element, attrs)
        return
    # into the tree first, so the moved content stays in the scope of its declarations
    element.addprevious(rebuilt)
    rebuilt.text = element.text
    rebuilt.extend(list(element))
    rebuilt.tail = element.tail
    parent.remove(element)  # type: ignore[union-attr]


def new_element(
    tag: str, nsmap: dict[str | None, str], attrs: Iterable[tuple[str, str | None]]
) -> Element:
    """A free-standing element (a document's root) declaring ``nsmap``, with ``attrs``.

    As :func:`set_attrs` says; many attributes are parsed in one go (see
    :func:`attributes_in_bulk`), since a root cannot be replaced later.
    """
    pending: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name, value in attrs:
        if value is not None and name not in seen:
            seen.add(name)
            pending.append((name, value))
    if len(pending) > BULK_ATTRIBUTES:
        parsed = _parsed_element(tag, nsmap, pending)
        if parsed is not None:
            return parsed
    element = etree.Element(tag, nsmap=nsmap)  # type: ignore[arg-type]
    set_attrs(element, pending)
    return element


_FRAGMENT_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _parsed_element(
    tag: str, declarations: dict[str | None, str], attrs: list[tuple[str, str]]
) -> Element | None:
    """A new element parsed from a start tag with ``declarations`` and ``attrs`` in order.

    Prefixes come from ``declarations`` (an element's in-scope ones, which lxml drops again as
    redundant when the element joins the tree); a namespace without one gets ``ns0``, ``ns1``...
    None when lxml would refuse the names or values anyway (the caller then lets it say why).
    """
    declared = dict(declarations)
    prefixes = {uri: prefix for prefix, uri in declared.items() if prefix is not None}

    def qualified(clark: str, *, attribute: bool) -> str:
        qname = etree.QName(clark)
        uri, local = qname.namespace, qname.localname
        if uri is None:
            if not attribute and declared.get(None):
                declared[None] = ""  # an unqualified element under a default namespace
            return local
        if uri == _XML_NS:
            return f"xml:{local}"
        if not attribute and declared.get(None) == uri:
            return local
        if uri not in prefixes:
            n = 0
            while f"ns{n}" in declared:
                n += 1
            prefixes[uri] = f"ns{n}"
            declared[f"ns{n}"] = uri
        return f"{prefixes[uri]}:{local}"

    try:
        name = qualified(tag, attribute=False)
        items = [f"{qualified(k, attribute=True)}={quoteattr(v)}" for k, v in attrs]
    except ValueError:
        return None
    xmlns = [
        f"{'xmlns' if p is None else 'xmlns:' + p}={quoteattr(u)}" for p, u in declared.items()
    ]
    markup = f"<{name} {' '.join(xmlns + items)}/>"
    # xmlns="" undeclares nothing on a document's root, and libxml2 would drop it; inside an
    # element with a default namespace it is kept, and goes along when the element is moved
    undeclares = declared.get(None) == ""
    if undeclares:
        markup = f'<wrapper xmlns="urn:wfengine:wrapper">{markup}</wrapper>'
    try:
        parsed = etree.fromstring(markup.encode("utf-8"), _FRAGMENT_PARSER)
    except etree.XMLSyntaxError:
        return None
    return parsed[0] if undeclares else parsed


def set_extra_attrs(element: Element, extra_attrs: Attrs) -> None:
    set_attrs(element, extra_attrs)


def xml_bool(value: bool) -> str:
    """``true``/``false``: the xsd:boolean spelling XPDL 2.x uses (1.0 wrote TRUE/FALSE)."""
    return "true" if value else "false"


def true_or_none(value: bool) -> str | None:
    """``true`` for a set flag; None (attribute left out) for the schema default ``false``."""
    return "true" if value else None


def append_xmlnode(parent: Element, node: XmlNode) -> Element:
    """Append a verbatim element (an ``extras`` entry, graphics, a Task detail) and its subtree,
    declaring on it the namespaces its values rely on (:attr:`XmlNode.namespaces`)."""
    declared: dict[str | None, str] = {prefix or None: uri for prefix, uri in node.namespaces}
    bulk = (
        _parsed_element(node.tag, {**parent.nsmap, **declared}, list(node.attrs))
        if len(node.attrs) > BULK_ATTRIBUTES
        else None
    )
    if bulk is not None:
        # built with its attributes before it has content (see attributes_in_bulk); an
        # unqualified one declares xmlns="" as below
        parent.append(bulk)
        child = bulk
    else:
        if node.namespace is None and parent.nsmap.get(None) is not None:
            # an unqualified element under the default 2.2 namespace must undeclare it
            # (``xmlns=""``), or it would be read back as an XPDL element
            declared[None] = ""
        if declared:
            child = etree.SubElement(parent, node.tag, nsmap=declared)  # type: ignore[arg-type]
        else:
            child = etree.SubElement(parent, node.tag)
        for name, value in node.attrs:
            child.set(name, value)
    child.text = node.text
    child.tail = node.tail
    for grandchild in node.children:
        append_xmlnode(child, grandchild)
    return child


def append_xmlnodes(parent: Element, nodes: Iterable[XmlNode]) -> None:
    for node in nodes:
        append_xmlnode(parent, node)


def append_extras(parent: Element, nodes: Iterable[XmlNode]) -> None:
    """Append a model node's ``extras`` to its element, marking (``wfe:Verbatim``) each that
    the reader would take for model content there, so that it is kept verbatim again (see
    :mod:`~wfengine.definition.xpdl.kept`)."""
    local = etree.QName(parent).localname
    for node in nodes:
        child = append_xmlnode(parent, node)
        if needs_mark(local, node.namespace, node.local_name):
            child.set(VERBATIM, "true")


def wrap_xmlnodes(parent: Element, wrapper: str, nodes: tuple[XmlNode, ...]) -> None:
    """``<wrapper>`` holding verbatim children (NodeGraphicsInfos, Artifacts, ...), if any."""
    if nodes:
        append_xmlnodes(sub(parent, wrapper), nodes)


def own(parent: Element, local: str, **attrs: str | None) -> Element:
    """Append an element of wfengine's namespace, for a model value 2.2 has no element for.

    Every XPDL 2.2 element the model writes such values under ends in an ``##other`` wildcard
    (``processContents="lax"``, and no schema is known for this namespace), so the document
    stays schema-valid while the value is kept rather than dropped; :mod:`write_order` puts the
    element into the wildcard's slot.
    """
    child = etree.SubElement(parent, q(local, WFENGINE_NS))
    set_attrs(child, attrs.items())
    return child


def extended_attributes(
    parent: Element, attributes: tuple[ExtendedAttribute, ...], *, own_namespace: bool = False
) -> None:
    """``<ExtendedAttributes>`` with each attribute's Name, Value, text and element content.

    ``own_namespace`` writes the same structure in wfengine's namespace
    (``wfe:ExtendedAttributes/wfe:ExtendedAttribute``) for the elements that have no
    ExtendedAttributes in 2.2 (ActivitySet, Pool, Lane, TaskApplication).
    """
    if not attributes:
        return
    if own_namespace:
        wrapper = own(parent, "ExtendedAttributes")
    else:
        wrapper = sub(parent, "ExtendedAttributes")
    # (in a ``deprecated:Tool``, the wrapper and its items are 1.0 elements: see ``sub``)
    tag = q("ExtendedAttribute", WFENGINE_NS if own_namespace else _namespace_of(wrapper))
    for ea in attributes:
        # declaring the prefixes its value or text names, bound as they were in the source
        element = etree.SubElement(wrapper, tag, nsmap=dict(ea.namespaces) or None)
        set_attrs(element, (("Name", ea.name), ("Value", ea.value)))
        # mixed content: the text leads, the elements' tails carry any later text
        element.text = ea.text
        append_xmlnodes(element, ea.content)


def to_deprecated(element: Element) -> None:
    """Move an XPDL subtree into the 1.0 namespace: the content of a ``deprecated:`` element.

    The reader normalises kept XPDL elements to 2.2; inside a 1.0 element (``deprecated:Tool``)
    the 2.2 schema validates them against the 1.0 schema, so they must be 1.0 again.
    """
    for node in element.iter():
        if isinstance(node.tag, str) and etree.QName(node).namespace in XPDL_NAMESPACES:
            node.tag = q(etree.QName(node).localname, DEPRECATED_NS)
