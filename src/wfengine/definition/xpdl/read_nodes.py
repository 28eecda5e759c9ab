"""Elements as the reader sees them: names, namespaces, attributes, source lines, and how an
element the model has no class for is kept verbatim (:class:`~wfengine.definition.model.XmlNode`)
with the namespace declarations its values rely on.

:mod:`read_context` reads elements into model nodes on top of these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, cast

from lxml import etree

from wfengine.definition.element_texts import node_text
from wfengine.definition.model import (
    DEPRECATED_NS,
    WFENGINE_NS,
    XPDL22_NS,
    XPDL_NAMESPACES,
    Attrs,
    XmlNode,
)
from wfengine.definition.xpdl.kept import VERBATIM
from wfengine.definition.xpdl.secure import BIG_LINE

#: namespaces whose elements the reader treats as XPDL (the 1.0 namespace doubles as the 2.x
#: ``deprecated`` namespace).
XPDL_LIKE_NAMESPACES: frozenset[str] = frozenset(XPDL_NAMESPACES) | {DEPRECATED_NS}


def local_name(el: etree._Element) -> str:
    return etree.QName(el).localname


def namespace_of(el: etree._Element) -> str | None:
    return etree.QName(el).namespace


#: while a document is read: whether its root has no namespace, so that an element in none is
#: XPDL (hand-written files omit the namespace); in a namespaced document such an element was
#: written so (``xmlns=""``, or under a prefixed root), and is a vendor's
_UNQUALIFIED_IS_XPDL: ContextVar[bool] = ContextVar("wfengine_unqualified_is_xpdl", default=True)


@contextmanager
def unqualified_is_xpdl(root: etree._Element) -> Iterator[None]:
    """Within the block, an element in no namespace is XPDL only if ``root`` is in none."""
    token = _UNQUALIFIED_IS_XPDL.set(namespace_of(root) is None)
    try:
        yield
    finally:
        _UNQUALIFIED_IS_XPDL.reset(token)


def _xpdl_namespace(ns: str | None) -> bool:
    """``ns`` is an XPDL one, or none in a document without a namespace."""
    return ns in XPDL_LIKE_NAMESPACES if ns is not None else _UNQUALIFIED_IS_XPDL.get()


def is_xpdl(el: etree._Element) -> bool:
    """An element the reader reads as XPDL: in an XPDL namespace (or in none, in a document
    written without one), and not marked by wfengine's writer as kept verbatim
    (:data:`~wfengine.definition.xpdl.kept.VERBATIM`): such an element is kept verbatim again."""
    return _xpdl_namespace(namespace_of(el)) and el.get(VERBATIM) is None


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


#: while a document of more than 65,534 lines is read: the true lines of its elements from
#: there on (:func:`~wfengine.definition.xpdl.secure.exact_lines`), which libxml2 does not keep
_BIG_LINES: ContextVar[Mapping[etree._Element, int] | None] = ContextVar(
    "wfengine_big_lines", default=None
)


def line_of(el: etree._Element) -> int | None:
    """The element's 1-based source line (None when lxml does not know it)."""
    line = el.sourceline
    if not isinstance(line, int):
        return None
    if line >= BIG_LINE:  # libxml2's may be one too many there: the true one, if known
        lines = _BIG_LINES.get()
        if lines is not None:
            return lines.get(el, line)
    return line


@contextmanager
def true_lines(lines: Mapping[etree._Element, int]) -> Iterator[None]:
    """Within the block, :func:`line_of` gives ``lines``' line for those elements: the true
    lines of a big document's elements past libxml2's 65,535 (``secure.exact_lines``)."""
    token = _BIG_LINES.set(lines)
    try:
        yield
    finally:
        _BIG_LINES.reset(token)


def to_xml_node(el: etree._Element, *, foreign: bool = False) -> XmlNode:
    """Keep ``el`` verbatim as an XmlNode.

    XPDL-namespace elements (any version, the deprecated namespace, or no namespace in a
    document without one) are re-tagged into the 2.2 namespace so the writer can emit them as
    they are, except in ``foreign`` content (an ExtendedAttribute's, a vendor element's): there
    every element keeps its tag, XPDL 1.0's written as ``deprecated:``. Vendor elements, and
    those in no namespace in a namespaced document, keep their tag. Whitespace-only text and
    tails are dropped: they are indentation, and the writer indents on its own; but not under
    ``xml:space="preserve"`` or in mixed content, where they are content. Namespace
    declarations that a value relies on are kept with the element (:attr:`XmlNode.namespaces`),
    and so is the default namespace of a vendor element where the written package's differs:
    the source's root may declare a vendor's, which 2.2's replaces there.
    """
    return _kept(el, foreign, None, XPDL22_NS, top=True)[0]


def mixed_content(el: etree._Element, *, foreign: bool) -> tuple[str | None, tuple[XmlNode, ...]]:
    """The content of ``el`` as XmlNode holds it: leading text and verbatim children.

    Text after a child element is that child's ``tail``; text after a comment or processing
    instruction is joined to what precedes it, so no text is lost to a comment. Blank text is
    None. ``foreign`` is passed on to :func:`to_xml_node` for the children.
    """
    text, children, _ = _content(el, foreign, None, XPDL22_NS, top=True)
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
#: colon that no declaration binds (``urn:order``, ``http://``) is passed over. A match starts
#: only at a word's start and never gives back what it took, so the scan is linear: without
#: both, a long word before " :" was tried from each of its letters, each scan running to
#: its end (a 40,000-letter attribute value took 24 s to load)
_PREFIXED = re.compile(r"(?<![\w.\-])([A-Za-z_][\w.\-]*+):")

Scope = dict[str | None, str]


def _kept(
    el: etree._Element,
    foreign: bool,
    parent_scope: Scope | None,
    written_default: str,
    *,
    top: bool,
    preserve: bool | None = None,
    keep_tail: bool = False,
) -> tuple[XmlNode, frozenset[str]]:
    """``el`` as an XmlNode, and the prefixes its values use that a declaration above it binds
    (the ones its own declarations do not).

    ``parent_scope`` is the vendor parent's scope (None under an XPDL parent);
    ``written_default`` the default namespace in scope at an XPDL parent once written: 2.2's
    in the written package, or the one the nearest vendor element above declares. The
    source's default there may be another (a vendor's, declared on a root that prefixes
    XPDL), and a vendor element below that relies on it must then declare it itself.
    """
    ns = namespace_of(el)
    # in foreign content an XPDL-namespace element is a vendor's use of that namespace (XPDL
    # 1.0's ExtendedAttribute admits ##any, and 1.0 files put their own namespace's elements
    # there): it keeps its tag, so that a 1.0 one is written as ``deprecated:`` (##other to
    # 2.2, as 2.2's ExtendedAttribute requires) and read back as the same
    if not foreign and (
        (ns is None and _UNQUALIFIED_IS_XPDL.get())
        or (ns is not None and ns in XPDL_LIKE_NAMESPACES)
    ):
        tag = f"{{{XPDL22_NS}}}{local_name(el)}"
        child_foreign = False
    else:
        tag = str(el.tag)
        child_foreign = True
    # a vendor element may declare another default namespace, which its unprefixed QName
    # values then name: its scope is always needed; an XPDL one's only when a value has a prefix
    scope: Scope | None = el.nsmap if child_foreign else None
    # the default an XPDL element has once written: its parent's (it declares none itself)
    if top:
        own_default = XPDL22_NS
    elif parent_scope is not None:
        own_default = _default(parent_scope.get(None))
    else:
        own_default = written_default
    text, children, need = _content(
        el, child_foreign, scope, own_default, top=False, preserve=preserve
    )
    attrs = attribute_items(el)
    if not child_foreign and el.get(VERBATIM) is not None:
        attrs = tuple((k, v) for k, v in attrs if k != VERBATIM)  # the writer's, not content
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
            base = dict(parent.nsmap) if parent is not None else {}
            base[None] = written_default  # (the source's may differ: see above)
        default = child_foreign and ns is not None
        declared, unresolved = _declarations(scope, base, need, default=default, top=top)
    node = XmlNode(
        tag=tag,
        attrs=attrs,
        text=text,
        tail=(el.tail or None) if keep_tail else node_text(el.tail),
        children=children,
        namespaces=declared,
        line=line_of(el),
    )
    return node, unresolved


def _content(
    el: etree._Element,
    foreign: bool,
    scope: Scope | None,
    written_default: str,
    *,
    top: bool,
    preserve: bool | None = None,
) -> tuple[str | None, tuple[XmlNode, ...], set[str]]:
    """:func:`mixed_content`, and the prefixes the children's values use that they do not
    declare (``scope`` and ``written_default``: as :func:`_kept` takes them for children).

    Blank text between elements is indentation, dropped (the writer indents on its own),
    except where it is content: under ``xml:space="preserve"`` (``preserve``: whether the
    element's parent is under it; None: look above), and in mixed content (text beside
    elements: ``<b>Dear</b> <i>customer</i>,``), where the space between two words is one.
    """
    inherited = _space_above(el) if preserve is None else preserve
    preserved = _preserves(el, inherited)
    keep = preserved or _mixed(el)
    children: list[XmlNode] = []
    need: set[str] = set()
    text = el.text
    for child in el:
        if isinstance(child.tag, str):
            node, used = _kept(
                child,
                foreign,
                scope,
                written_default,
                top=top,
                preserve=preserved,
                keep_tail=keep,
            )
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
                tail = (last.tail or "") + child.tail
                # blank after a comment is indentation too: kept, it made a new version of
                # a process whose vendor content only gained a comment
                tail = tail if keep else node_text(tail)
                children[-1] = last.model_copy(update={"tail": tail})
            else:
                text = (text or "") + child.tail
    return (text or None) if keep else node_text(text), tuple(children), need


#: ``xml:space``: "preserve" says the whitespace inside an element is content
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _preserves(el: etree._Element, inherited: bool) -> bool:
    """Whether whitespace inside ``el`` is content: its ``xml:space``, else its parent's."""
    value = el.get(_XML_SPACE)
    return inherited if value is None else value.strip() == "preserve"


def _space_above(el: etree._Element) -> bool:
    """Whether the nearest ``xml:space`` above ``el`` says "preserve"."""
    for ancestor in el.iterancestors():
        value = ancestor.get(_XML_SPACE)
        if value is not None:
            return value.strip() == "preserve"
    return False


def _mixed(el: etree._Element) -> bool:
    """Text that is not blank beside ``el``'s child elements (mixed content)."""
    if len(el) == 0:
        return False
    if el.text is not None and el.text.strip():
        return True
    return any(child.tail is not None and child.tail.strip() for child in el)


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


def detached(el: etree._Element) -> XmlNode:
    """Vendor element ``el`` inside an element's text, kept verbatim without its tail: the
    tail is part of the text around it."""
    node = to_xml_node(el, foreign=True)
    return node.model_copy(update={"tail": None}) if node.tail else node


def text_around(el: etree._Element, inside: list[XmlNode]) -> str:
    """The text of expression element ``el`` outside its child elements (unstripped), which
    are appended to ``inside`` verbatim, without their tails: those are part of the text.

    XPDL's ExpressionType admits any element beside the text (a vendor's note, say); it is
    not part of the expression, so its text must not run into it."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            inside.append(detached(child))
        parts.append(child.tail or "")
    return "".join(parts)
