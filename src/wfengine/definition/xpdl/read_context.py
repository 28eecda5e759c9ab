"""The reader's bookkeeping: which parts of an element were read, and what happens to the rest.

The promise "nothing is silently dropped" is kept mechanically rather than by care in every
reading function: each element is read through a :class:`Cursor` that hands out attributes and
XPDL children and remembers what it handed out. Whatever nobody asked for becomes ``extras``
(child elements, kept verbatim as :class:`~wfengine.definition.model.XmlNode`) and
``extra_attrs`` (attributes). Where a model class has no room for leftovers, child elements go
to the nearest enclosing ``extras`` and attributes are dropped, each with an ``xpdl-unreadable``
warning, so a move or a loss is at least never silent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache, lru_cache
from importlib import resources
from typing import TypedDict, TypeVar, cast

from lxml import etree
from pydantic import ValidationError

from wfengine.definition import diagnostics
from wfengine.definition.checks.readings import quote
from wfengine.definition.diagnostics import Diagnostic
from wfengine.definition.element_texts import element_value, prose
from wfengine.definition.model import Attrs, XmlNode
from wfengine.definition.xpdl.kept import VERBATIM
from wfengine.definition.xpdl.read_nodes import (
    XPDL_LIKE_NAMESPACES,
    attribute_items,
    is_xpdl,
    line_of,
    local_name,
    namespace_of,
    to_xml_node,
)
from wfengine.definition.xpdl.schema import SCHEMA_FILES

T = TypeVar("T")

_XSD = "http://www.w3.org/2001/XMLSchema"


#: names the reader reads that no bundled schema declares: 2.0 final's ``ProcessRef`` (the
#: bundled 2.0 schema is a draft) and 1.0's ``CountryKey`` spelling of ``Countrykey``
_READ_UNDECLARED = ("ProcessRef", "CountryKey")


@cache
def xpdl_element_names() -> frozenset[str]:
    """Every element name the bundled XPDL schemas (1.0 to 2.2) declare, and the few more the
    reader reads: an XPDL element with another name is no XPDL (see :meth:`Cursor._stray`).
    Read once, when first asked."""
    folder = resources.files("wfengine.definition.xpdl") / "schemas"
    names: set[str] = set(_READ_UNDECLARED)
    for file in SCHEMA_FILES.values():
        tree = etree.parse(str(folder / file))
        found = tree.xpath("//xsd:element/@name", namespaces={"xsd": _XSD})
        names.update(str(n) for n in cast(list[str], found))
    return frozenset(names)


def _shortened(word: str) -> set[str]:
    """``word`` and every spelling of it with one letter left out."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


@cache
def _by_shortened() -> dict[str, list[str]]:
    """The XPDL names by each of their case-folded :func:`_shortened` spellings: two words
    one edit apart share one, so the names near a word are found in a few look-ups."""
    index: dict[str, list[str]] = {}
    for name in sorted(xpdl_element_names()):
        for short in _shortened(name.casefold()):
            index.setdefault(short, []).append(name)
    return index


def _one_edit_apart(a: str, b: str) -> bool:
    """Equal, or one letter added, dropped or changed, or two neighbours swapped."""
    a, b = sorted((a, b), key=len)
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    swapped = a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]
    return a[i + 1 :] == b[i + 1 :] or swapped


@lru_cache(maxsize=1024)
def near_xpdl_name(name: str) -> str | None:
    """The XPDL element name ``name`` surely misspells (case, or one edit: ``<Activites>``,
    ``<Spilt>``); None when it is one or none. A looser likeness took tools' own names for slips
    (``PageInfo``: "did you mean ``<Page>``?"), and cost a millisecond a name, in files that
    may hold thousands: this is a few look-ups, and a name met again is answered cached."""
    if name in xpdl_element_names():
        return None
    folded = name.casefold()
    found = {n for s in _shortened(folded) for n in _by_shortened().get(s, ())}
    # the likest: case only, then (WorkflowProceses) the plural; <Nr> is no slip of <No>
    like = {n: SequenceMatcher(None, folded, n.casefold()).ratio() for n in found}
    near = [n for n in found if like[n] >= 0.6 and _one_edit_apart(folded, n.casefold())]
    return min(near, key=lambda n: (-like[n], n), default=None)


class Unreadable(Exception):
    """Raised by a reading function when an element cannot become a model node.

    The caller keeps the element verbatim in the nearest ``extras`` and warns; content problems
    never abort a load. ``el`` is the element at fault, when the reading function knows it: a
    part read inside the element (a ParticipantType's missing Type) is named in the warning,
    so that the author looks for the fault where it is rather than on the enclosing element.
    """

    def __init__(self, why: str, el: etree._Element | None = None) -> None:
        super().__init__(why)
        self.el = el

    def why(self, reading: etree._Element) -> str:
        """The reason, for the warning about ``reading``, the element kept whole."""
        if self.el is None or self.el is reading:
            return str(self)
        return f"<{local_name(self.el)}> at line {line_of(self.el)} in it: {self}"


def _matches(
    el: etree._Element, names: tuple[str, ...], namespace: str | None, *, kept: bool = False
) -> bool:
    """``el`` has one of ``names`` and is XPDL (``namespace`` None) or in ``namespace``;
    ``kept``: also when the writer marked it as kept verbatim (:func:`is_kept`)."""
    if namespace is not None:
        in_namespace = namespace_of(el) == namespace
    else:
        in_namespace = is_xpdl(el) or (kept and is_kept(el))
    return in_namespace and local_name(el) in names


def is_kept(el: etree._Element) -> bool:
    """An XPDL element wfengine's writer marked as kept verbatim (``wfe:Verbatim``): the
    reader keeps it verbatim again rather than take it for model content."""
    return el.get(VERBATIM) is not None and namespace_of(el) in XPDL_LIKE_NAMESPACES


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


def element_children(el: etree._Element) -> list[etree._Element]:
    """Child elements only: comments and processing instructions carry no model content."""
    return [c for c in el if isinstance(c.tag, str)]


def all_text(el: etree._Element) -> str:
    """All text inside ``el`` (its descendants' too), unstripped.

    A comment or processing instruction inside is no text, and does not cut the text off:
    ``a<!-- note -->b`` is ``ab``."""
    if len(el) == 0:  # (the common case, and fast: no comment, no child element)
        return str(el.text or "")
    return "".join(str(t) for t in el.itertext())


def element_text(el: etree._Element | None) -> str | None:
    """The element's whole text content, stripped; None when empty (see :func:`all_text`)."""
    return None if el is None else element_value(all_text(el))


def owner_id(el: etree._Element) -> str | None:
    """The Id of ``el`` or of the nearest element around it that has one: a bad value on a
    Split, Join or Condition is found on the Activity or Transition it belongs to."""
    for node in (el, *el.iterancestors()):
        found = node.get("Id")
        if found:
            return str(found)
    return None


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

    def _text_only(self, el: etree._Element) -> None:
        """Report element content on ``el``, an element the model holds only the text of."""
        if element_children(el):
            self.warn(
                "xpdl-unreadable",
                f"<{local_name(el)}> at line {line_of(el)} has element content; "
                "only its text is kept",
                el,
            )

    def text_of(self, el: etree._Element) -> str | None:
        """The text of an element the model holds as a string; structure on it is reported."""
        self._text_only(el)
        Cursor(self, el).drop_attrs()
        return element_text(el)

    def prose_of(self, el: etree._Element) -> str | None:
        """The text of a free-text element (Description, Documentation) exactly as written:
        its indentation, line breaks and leading or trailing spaces are the author's, so a
        written file keeps them. None only when it has no text at all. Structure on it is
        reported, as :meth:`text_of` does."""
        self._text_only(el)
        Cursor(self, el).drop_attrs()
        return prose(all_text(el))

    def text_and_attrs(self, el: etree._Element) -> tuple[str | None, Attrs]:
        """Text and all attributes of an element the model holds as a string plus attributes.

        For expression-like elements (DeadlineDuration, Expression) whose attributes
        (ScriptType, ScriptGrammar, ...) the model keeps beside the text.
        """
        self._text_only(el)
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
        """Read one element; on failure keep it in ``spill`` with a warning and return None.

        An element the writer marked as kept verbatim (:func:`is_kept`) is kept in ``spill``
        unread, where an unreadable one goes: it usually is one, written back into its list.
        """
        if is_kept(el):
            spill.append(to_xml_node(el))
            return None
        mark = len(self.findings)
        spilled = len(spill)
        try:
            return read(self, el)
        except Unreadable as exc:
            why = exc.why(el)
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
            raise Unreadable(f"required attribute {name} is missing", self.el)
        return value

    def part_attr(self, name: str, without: str) -> str | None:
        """A required attribute of a part its enclosing element can stand without (a
        TransitionRef of a Split, an EnumerationValue of a type): None when it is missing,
        warned with ``without`` (what the enclosing element is read as then).

        The part alone is lost, not the element around it: keeping a Split whole as XML for
        one id-less TransitionRef would drop its gateway type, and change the routing."""
        value = self.attr(name)
        if value is None:
            self.ctx.warn(
                "xpdl-unreadable",
                f"<{self.name}> at line {self.line} has no {name}; it is not kept, and {without}",
                self.el,
                owner_id(self.el),
            )
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
            f"attribute {name}={quote(str(raw))} of <{self.name}> at line {self.line} is not a "
            "boolean; it is kept as an unknown attribute",
            self.el,
            owner_id(self.el),
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
            f"attribute {name}={quote(str(raw))} of <{self.name}> at line {self.line} has an "
            "unknown value; it is kept as an unknown attribute, and the element acts as if it "
            "had none",
            self.el,
            owner_id(self.el),
        )
        return None

    def skip_attr(self, *names: str) -> None:
        """Mark attributes as read whose meaning the model already holds in another form."""
        self._attrs_taken.update(names)

    # -- children --

    def children(
        self, *names: str, namespace: str | None = None, kept: bool = False
    ) -> list[etree._Element]:
        """All not-yet-read XPDL children with one of these local names, in document order.

        ``namespace`` looks in that namespace instead of XPDL's: the writer keeps values 2.2
        has no element for in wfengine's own (``WFENGINE_NS``), and those map back too.
        ``kept``: also those the writer marked as kept verbatim (:func:`is_kept`).
        """
        out = []
        for i, child in enumerate(self._children):
            if i not in self._taken and _matches(child, names, namespace, kept=kept):
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
        self,
        wrapper: str,
        item: str,
        spill: list[XmlNode],
        *,
        namespace: str | None = None,
        kept: bool = False,
    ) -> list[etree._Element]:
        """Items of a list wrapper (``<Activities><Activity/>...``), wrapper leftovers spilled.

        With ``namespace``, wrapper and items are looked up in that namespace (see
        :meth:`children`). ``kept`` is for a caller that reads each item with
        :meth:`ReadContext.read_each`: the items include those the writer marked as kept
        verbatim, which ``read_each`` keeps where an unreadable item goes, so that one written
        back into its list returns to the same place in ``extras``.
        """
        out: list[etree._Element] = []
        for w in self.children(wrapper, namespace=namespace):
            inner = Cursor(self.ctx, w)
            out.extend(inner.children(item, namespace=namespace, kept=kept))
            inner.spill(spill)
        return out

    # -- leftovers --

    def _unread(self) -> list[etree._Element]:
        """The children nobody read; they count as read from now on.

        Marking them read hands each leftover out once: a node that keeps its own ``extras``
        and is then spilled (a SubFlow inside its Implementation) must not pass the same
        children on to the enclosing node's ``extras`` as well.
        """
        unread = [i for i in range(len(self._children)) if i not in self._taken]
        self._taken.update(unread)
        return [self._children[i] for i in unread if not is_extensions_marker(self._children[i])]

    def extras(self) -> tuple[XmlNode, ...]:
        """The children nobody read, kept verbatim (see :meth:`_unread`); a stray one (a
        misspelt XPDL name, say) is warned (:meth:`_stray`)."""
        unread = self._unread()
        for child in unread:
            self._stray(child, "")
        return tuple(to_xml_node(c) for c in unread)

    def _stray(self, child: etree._Element, moved: str) -> bool:
        """Warn of a leftover ``child`` surely meant to be read: an XPDL element named by a
        slip (``<WorkFlowProcesses>``, :func:`near_xpdl_name`), or one in no namespace under
        an XPDL one of a namespaced document (a prefixed root's children written without the
        prefix). Kept as XML with no word, either made a package of no processes that
        validated clean (no schema check). ``moved`` ends the warning: where it is written.

        Other leftovers are content wfengine keeps without reading: XPDL it has no model
        for (Pools), a vendor's namespace, or a tool's own name in XPDL's namespace (Global
        360's ``IsForCompensationSpecified``), which the schema check reports."""
        name = local_name(child)
        if is_xpdl(child):
            meant = near_xpdl_name(name)
            if meant is None:
                return False
            why = f"is no XPDL element (did you mean <{meant}>?)"
        elif namespace_of(child) is None and is_xpdl(self.el):
            why = (
                f"is in no namespace, while <{self.name}> is in XPDL's "
                f"({namespace_of(self.el)}): write it in the XPDL namespace (with the "
                "prefix its parent has) for it to be read"
            )
        else:
            return False
        self.ctx.warn(
            "xpdl-unreadable",
            f"<{name}> at line {line_of(child)} in <{self.name}> {why}; it is kept as XML, "
            f"unread{moved}",
            child,
            owner_id(self.el),
        )
        return True

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

    def spill(self, target: list[XmlNode], *, attrs: bool = True, moved: bool = True) -> None:
        """For model nodes without room for leftovers: children to ``target``, attributes warned.

        A child moved out so is kept, but not where it was written (a vendor's element inside
        a Split is written back inside its Activity): that is warned too, so no move is silent.
        ``moved=False`` is for a caller that keeps the children where they were (a verbatim
        list's items, a SchemaType's schema), or has read them already.
        """
        unread = self._unread()
        outside = (
            f", written back outside <{self.name}> (in the nearest enclosing element that "
            "keeps unknown content)"
        )
        for child in unread if moved else ():
            if self._stray(child, outside):
                continue
            self.ctx.warn(
                "xpdl-unreadable",
                f"<{local_name(child)}> in <{self.name}> at line {self.line} has no place there "
                "in the model; it is kept, written back outside it (in the nearest enclosing "
                "element that keeps unknown content)",
                self.el,
                owner_id(self.el),
            )
        target.extend(to_xml_node(c) for c in unread)
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
