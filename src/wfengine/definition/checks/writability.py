"""Writability checks: what a definition holds that an XPDL file cannot, or that breaks the
schema the written file is checked against.

A package read from a file holds only what XML could carry, but one built in code
(``PackageBuilder``, the model's constructors) may hold anything a Python string can: a form
feed pasted from a word processor into a name, an Id with a space in it. Writing it (``dump_xpdl``,
and a SQL store's deploy, which keeps the XPDL text) would then fail deep inside lxml, or write a
file that strict XPDL tools refuse. These checks say so first, naming the element:

* ``xml-character`` (error): a text holds a character XML 1.0 cannot hold (a control character
  other than tab, line feed and carriage return; U+FFFE, U+FFFF; a lone surrogate);
* ``xml-name`` (error): a name the file would hold that XML cannot: a verbatim element's tag
  (:class:`~wfengine.definition.model.XmlNode`, in Clark notation ``{namespace}local``), an
  attribute name (a verbatim element's, or one kept on a model element), or a namespace
  declaration a verbatim element keeps (:attr:`~wfengine.definition.model.XmlNode.namespaces`):
  a local name that is no XML name (``field name``, ``1st``, ``a:b``), a namespace that is no
  URI (``urn v``), a prefix that is no name or binds what XML reserves (``xml``, ``xmlns``), or
  an attribute called ``xmlns`` (it would be read back as a namespace declaration);
* ``id-syntax`` (warning): an Id is not an XML name token (letters, digits, ``.``, ``-``,
  ``_``, ``:``), which every XPDL schema's Id type requires; the engine itself does not mind.
* ``id-too-long`` (error): an Id longer than :data:`MAX_ID_CHARS`, the characters a store
  holds as an id. The engine keys what it stores by the definition's Ids (a deployment by its
  process's and package's, an activity instance, work item and audit event by its
  activity's, a token by its transition's), and a SQL store's id columns are that wide. XPDL's
  Ids are name tokens of any length, so a longer one deployed on the memory store and SQLite,
  while PostgreSQL, which enforces the width, failed with a bare driver error: at deploy for a
  process Id, at the first start for an activity Id (from a worker, an incident no retry could
  mend). As an error every store refuses the process at deploy, naming the element. Every
  element Id counts, not only those a store keys by today: an Id of hundreds of characters is
  a mistake wherever it is.
* ``type-syntax`` (warning): a data type the XPDL schemas refuse as written: an enumeration
  value that is not an XML name token (``EnumerationValue/@Name`` is one), or a record, union
  or enumeration type with no member or value (the schemas require one). The engine accepts
  them at run time as before; only a written file does not validate.
* ``duplicate-id-package`` (warning): an Id XPDL 2.2 keys package-wide is held in two
  processes, or at two levels (an activity and a transition, a process and an activity set,
  a pool and an activity, a package's data field and a process's); one scope's repeats are
  ``duplicate-id`` and ``duplicate-id-scopes``. Only for a package built in code: a file's
  own schema check reports it for a 2.2 file, and XPDL 1.0 and 2.1 scope those Ids to their
  process (``wfengine convert`` renames them, :func:`~wfengine.definition.unique_ids.unique_ids`).
* ``undefined-process`` (as a warning): a Pool names no process (nor activity set) of the
  package; the schema's key refuses it, and its lanes are drawn for no process. A pool naming
  an activity set is what JaWE and TIBCO draw for an embedded sub-process, and the key of
  XPDL 2.1 and 2.2 (``ProcessIds.Package``) holds activity-set Ids too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from lxml import etree
from pydantic import BaseModel

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, Severity, make
from wfengine.definition.model import Package, WorkflowProcess, XmlNode
from wfengine.definition.model_data_types import (
    DeclaredType,
    EnumerationType,
    RecordType,
    UnionType,
)
from wfengine.definition.model_nodes import descendants
from wfengine.definition.model_package_parts import ExternalPackage

#: what XML 1.0 cannot hold (its Char production, as Python sees str)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: XML's white space, which a schema's token types collapse before checking the value
_XML_SPACE = " \t\r\n"
#: a name token of ASCII characters alone: most Ids, told without asking the schema
_ASCII_TOKEN = re.compile(r"[A-Za-z0-9._:\-]+")
#: the longest id a store holds (``VARCHAR(200)`` on SQL: PostgreSQL enforces it);
#: :data:`wfengine.runtime.stored_text.MAX_ID_CHARS` is this one
MAX_ID_CHARS = 200
#: how much of a too long Id a finding shows (the whole one is its ``element_id``)
_SHOWN_ID_CHARS = 40
#: an XSD whose one attribute is an ``xs:NMTOKEN``, as the XPDL schemas' Ids are
_NMTOKEN_XSD = b"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
<xs:element name="t"><xs:complexType><xs:attribute name="v" type="xs:NMTOKEN"/>
</xs:complexType></xs:element></xs:schema>"""


@lru_cache(maxsize=1)
def _nmtoken_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.XML(_NMTOKEN_XSD))


@lru_cache(maxsize=4096)
def _is_name_token(text: str) -> bool:
    """``text`` is an XML name token as the schema check of a written file sees it.

    That check is libxml2's, whose NameChar is XML 1.0 (2nd edition)'s: letters and digits
    of Unicode 2.0's tables, not Python's ``str.isalnum`` (which takes ``²``, ``µ``, ``ﬁ``
    the schema refuses, and refuses the U+0387 it takes). Rather than port those tables,
    a non-ASCII value is checked by the same libxml2 against an ``xs:NMTOKEN`` attribute;
    XML white space anywhere is refused, as before (the schema would collapse it at the
    ends, but an Id read back is not what was written)."""
    if _ASCII_TOKEN.fullmatch(text):
        return True
    if text.isascii() or any(c in _XML_SPACE for c in text) or _NOT_XML.search(text):
        return False
    element = etree.Element("t", v=text)
    return bool(_nmtoken_schema().validate(etree.ElementTree(element)))


def _label(node: BaseModel, owner: str) -> tuple[str, str | None]:
    """How a finding names ``node``: its kind and Id where it has one, else its owner's."""
    element_id = getattr(node, "id", None)
    if isinstance(element_id, str):
        return f"{type(node).__name__} {element_id!r}", element_id
    return owner, None


def _texts(
    node: BaseModel, owner: str, owner_id: str | None = None
) -> Iterator[tuple[str, str, str | None, int | None, str]]:
    """(element label, field, element Id, line, text) for every text under ``node`` that a
    written file holds, a text nested in an element (a script, a transition's condition, a
    loop condition, a deadline, an extended attribute's value) named by the nearest element
    with an Id, as :func:`_names` names it: the message named the activity while the
    finding's ``element_id`` was None, so a tool placing findings by Id lost it. The
    bookkeeping fields a node does not compare (``_uncompared``: the
    package's source file and version, the findings made while loading, a header's original
    XPDL version) are skipped: the writer never writes them, and a file name is the operating
    system's bytes (a non-UTF-8 one reaches Python as lone surrogates), not definition text."""
    label, element_id = _label(node, owner)
    element_id = element_id if element_id is not None else owner_id
    line = getattr(node, "line", None)
    skipped: frozenset[str] = getattr(node, "_uncompared", frozenset())
    for field, value in node.__dict__.items():
        if field in skipped:
            continue
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, str):
                yield label, field, element_id, line, item
            elif isinstance(item, tuple):  # (name, value) attribute pairs
                for part in item:
                    if isinstance(part, str):
                        yield label, field, element_id, line, part
            elif isinstance(item, BaseModel):
                yield from _texts(item, label, element_id)


def unwritable_texts(package: Package) -> Iterator[Diagnostic]:
    """An ``xml-character`` finding for each text of ``package`` XML cannot hold, then an
    ``xml-name`` finding for each name (:func:`unwritable_names`): what :func:`~wfengine.
    definition.io.dump_xpdl` names when writing fails."""
    yield from _unwritable_characters(package)
    yield from unwritable_names(package)


def _unwritable_characters(package: Package) -> Iterator[Diagnostic]:
    for label, field, element_id, line, text in _texts(package, f"package {package.id!r}"):
        found = _NOT_XML.search(text)
        if found is not None:
            yield make(
                "xml-character",
                f"{label} has a character XML cannot hold (U+{ord(found.group()):04X}) in its "
                f"{field.replace('_', ' ')}: the definition cannot be written as XPDL",
                element_id=element_id,
                line=line,
            )


#: the namespaces XML reserves: ``xmlns`` declares prefixes, ``xml`` is bound to its own
_XMLNS_NS = "http://www.w3.org/2000/xmlns/"
_XML_NS = "http://www.w3.org/XML/1998/namespace"


@lru_cache(maxsize=4096)
def _no_name(local: str) -> bool:
    """True when lxml (which writes the file) refuses ``local`` as an element or attribute
    name: an empty one, one with a colon or a space, one starting with a digit..."""
    if not local or ":" in local:
        return True
    try:
        etree.QName(local)
    except ValueError:
        return True
    return False


@lru_cache(maxsize=1024)
def _no_uri(uri: str) -> bool:
    """True when lxml refuses ``uri`` as a namespace (libxml2's URI syntax: no spaces...)."""
    try:
        etree.Element(f"{{{uri}}}a")
    except ValueError:
        return True
    return False


def _name_problem(name: str, *, attribute: bool) -> str | None:
    """Why XML cannot hold ``name`` (a tag or attribute name, in Clark notation when it has a
    namespace); None when it can, or when ``xml-character`` reports it already."""
    if _NOT_XML.search(name):
        return None
    uri, local = "", name
    if name.startswith("{"):
        end = name.find("}")
        if end < 0:
            return "its namespace is not closed with '}'"
        uri, local = name[1:end], name[end + 1 :]
    if _no_name(local):
        return f"{local!r} is no XML name"
    if uri == _XMLNS_NS:
        return "the xmlns namespace is reserved for namespace declarations"
    if uri and _no_uri(uri):
        return f"its namespace {uri!r} is no URI"
    if attribute and not uri and local == "xmlns":
        return "an attribute called xmlns would be read back as a namespace declaration"
    return None


def _declaration_problem(prefix: str, uri: str) -> str | None:
    """Why XML cannot hold the declaration of ``prefix`` (``""``: the default namespace) for
    ``uri``; None when it can, or when ``xml-character`` reports it already."""
    if _NOT_XML.search(prefix) or _NOT_XML.search(uri):
        return None
    if prefix and _no_name(prefix):
        return f"the prefix {prefix!r} is no XML name"
    if prefix == "xmlns" or uri == _XMLNS_NS:
        return "the xmlns prefix and namespace are reserved for namespace declarations"
    if (prefix == "xml") != (uri == _XML_NS):
        return "the xml prefix is bound to the XML namespace and to no other"
    if prefix and not uri:
        return "a prefix cannot be undeclared (bound to no namespace) in XML 1.0"
    if uri and _no_uri(uri):
        return f"{uri!r} is no URI"
    return None


def _verbatim(
    node: XmlNode, label: str, element_id: str | None, line: int | None
) -> Iterator[tuple[str, str | None, int | None, str]]:
    """(label, element Id, line, what is wrong) for each name of ``node``'s tree XML cannot
    hold."""
    line = node.line if node.line is not None else line
    problem = _name_problem(node.tag, attribute=False)
    if problem is not None:
        yield label, element_id, line, f"holds the verbatim element {node.tag!r}: {problem}"
    for name, _ in node.attrs:
        problem = _name_problem(name, attribute=True)
        if problem is not None:
            what = f"holds the verbatim element {node.tag!r} with the attribute {name!r}"
            yield label, element_id, line, f"{what}: {problem}"
    for prefix, uri in node.namespaces:
        problem = _declaration_problem(prefix, uri)
        if problem is not None:
            what = f"holds the verbatim element {node.tag!r} declaring {prefix!r} as {uri!r}"
            yield label, element_id, line, f"{what}: {problem}"
    for child in node.children:
        yield from _verbatim(child, label, element_id, line)


def _names(
    node: BaseModel, owner: str, owner_id: str | None = None
) -> Iterator[tuple[str, str | None, int | None, str]]:
    """(label, element Id, line, what is wrong) for each name under ``node`` XML cannot
    hold: verbatim elements', the attribute names model elements keep (``extra_attrs``, an
    expression's ``*_attrs``) and the namespace declarations they keep (``namespaces``),
    each named by the nearest element with an Id."""
    label, element_id = _label(node, owner)
    element_id = element_id if element_id is not None else owner_id
    line = getattr(node, "line", None)
    for field, value in node.__dict__.items():
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, XmlNode):
                yield from _verbatim(item, label, element_id, line)
            elif isinstance(item, BaseModel):
                yield from _names(item, label, element_id)
            elif field == "namespaces" and isinstance(item, tuple) and len(item) == 2:
                prefix, uri = item  # declarations a model element keeps (the package's)
                problem = _declaration_problem(str(prefix), str(uri))
                if problem is not None:
                    what = f"declares the namespace prefix {prefix!r} as {uri!r}"
                    yield label, element_id, line, f"{what}: {problem}"
            elif field.endswith("attrs") and isinstance(item, tuple) and item:
                name = item[0]
                problem = _name_problem(name, attribute=True) if isinstance(name, str) else None
                if problem is not None:
                    where = field.replace("_", " ")
                    yield (
                        label,
                        element_id,
                        line,
                        f"has the attribute {name!r} ({where}): {problem}",
                    )


def unwritable_names(package: Package) -> Iterator[Diagnostic]:
    """An ``xml-name`` finding for each name of ``package`` XML cannot hold."""
    for label, element_id, line, what in _names(package, f"package {package.id!r}"):
        yield make(
            "xml-name",
            f"{label} {what}: the definition cannot be written as XPDL",
            element_id=element_id,
            line=line,
        )


def check_xml_characters(ctx: Context) -> Iterator[Diagnostic]:
    """``xml-character`` and ``xml-name``: a text or a name the XPDL file could not hold
    (anywhere in the package, whichever process is validated: found once per package)."""
    yield from ctx.once(unwritable_texts, lambda: list(unwritable_texts(ctx.package)))


def check_id_tokens(ctx: Context) -> Iterator[Diagnostic]:
    """``id-syntax``: an Id the XPDL schemas would refuse; ``id-too-long``, one no store holds
    (:func:`_length_findings`); then ``type-syntax`` (:func:`_type_findings`), the same
    refusal for what a data type declares; then the package-wide keys (:func:`_key_findings`,
    :func:`_pool_findings`)."""
    yield from ctx.once(_id_findings, lambda: list(_id_findings(ctx.package)))
    yield from _length_findings(ctx)
    yield from ctx.once(_type_findings, lambda: list(_type_findings(ctx.package)))
    yield from _key_findings(ctx)
    yield from ctx.once(_pool_findings, lambda: list(_pool_findings(ctx.package)))


def _id_findings(package: Package) -> Iterator[Diagnostic]:
    for node in descendants(package):
        element_id = getattr(node, "id", None)
        if not isinstance(element_id, str):
            continue
        if not _is_name_token(element_id) and not _NOT_XML.search(element_id):
            yield make(
                "id-syntax",
                f"{type(node).__name__} Id {element_id!r} is not an XML name token (letters, "
                "digits, '.', '-', '_', ':'): XPDL's schemas refuse it, so a written file does "
                "not validate",
                element_id=element_id,
                line=getattr(node, "line", None),
            )


#: nodes whose ``id`` refers to an element rather than naming one of their own
_REFERENCES = (DeclaredType, ExternalPackage)


def _length_findings(ctx: Context) -> Iterator[Diagnostic]:
    """``id-too-long``: an Id of the package's own elements (the package, its participants,
    applications, data fields, ...) or of the processes under validation longer than
    :data:`MAX_ID_CHARS` (another process's long Id refuses that process, not this one)."""
    chosen = {id(process) for process in ctx.processes}
    for owner, finding in ctx.once(_long_ids, lambda: list(_long_ids(ctx.package))):
        if owner is None or owner in chosen:
            yield finding


def _long_ids(package: Package) -> Iterator[tuple[int | None, Diagnostic]]:
    """(the ``id()`` of the process holding it, None for the package's own elements;
    ``id-too-long``) for each Id of ``package`` longer than :data:`MAX_ID_CHARS`."""
    for owner, node in _nodes_of(package, None):
        if isinstance(node, _REFERENCES):  # (its Id names another element: said once, there)
            continue
        element_id = getattr(node, "id", None)
        if isinstance(element_id, str) and len(element_id) > MAX_ID_CHARS:
            yield (
                owner,
                make(
                    "id-too-long",
                    f"{type(node).__name__} Id {element_id[:_SHOWN_ID_CHARS]!r}... is "
                    f"{len(element_id)} characters long, more than the {MAX_ID_CHARS} a store "
                    "holds as an id: shorten it (a deploy refuses the process)",
                    element_id=element_id,
                    line=getattr(node, "line", None),
                ),
            )


def _nodes_of(node: BaseModel, owner: int | None) -> Iterator[tuple[int | None, BaseModel]]:
    """(the ``id()`` of its process, or None outside the processes; the node) for ``node``
    and every model node under it, as :func:`descendants` walks them but for verbatim
    elements (by identity: two processes may share an Id)."""
    if isinstance(node, XmlNode):
        return
    if isinstance(node, WorkflowProcess):
        owner = id(node)
    yield owner, node
    for value in node.__dict__.values():
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, BaseModel):
                yield from _nodes_of(item, owner)


def _data_types(
    node: BaseModel, owner: str, owner_id: str | None = None
) -> Iterator[tuple[str, str | None, RecordType | UnionType | EnumerationType]]:
    """(label, element Id, type) for each record, union and enumeration type under ``node``,
    named by the nearest element with an Id (a TypeDeclaration, DataField, FormalParameter)."""
    label, element_id = _label(node, owner)
    element_id = element_id if element_id is not None else owner_id
    if isinstance(node, RecordType | UnionType | EnumerationType):
        yield label, element_id, node
    for value in node.__dict__.values():
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, BaseModel) and not isinstance(item, XmlNode):
                yield from _data_types(item, label, element_id)


def _type_findings(package: Package) -> Iterator[Diagnostic]:
    """``type-syntax``: an enumeration value that is no XML name token, or a record, union or
    enumeration type holding nothing, which the schemas refuse (the engine does not mind)."""
    for label, element_id, data_type in _data_types(package, f"package {package.id!r}"):
        kind = type(data_type).__name__
        held: tuple[object, ...] = (
            data_type.values if isinstance(data_type, EnumerationType) else data_type.members
        )
        problems = [
            f"the {kind} of {label} has the value {v!r}, which is not an XML name token "
            "(letters, digits, '.', '-', '_', ':')"
            for v in held
            # an NMTOKEN attribute's value is read whitespace-collapsed: ' a ' is 'a'
            if isinstance(v, str)
            and not _is_name_token(v.strip(_XML_SPACE))
            and not _NOT_XML.search(v)
        ]
        if not held:  # each type's element requires at least one child in every schema
            part = "value" if isinstance(data_type, EnumerationType) else "member"
            problems.append(f"the {kind} of {label} has no {part}")
        for problem in problems:
            yield make(
                "type-syntax",
                f"{problem}: XPDL's schemas refuse it, so a written file does not validate "
                "(the engine itself does not mind)",
                element_id=element_id,
                line=data_type.line,
            )


class _Holder(NamedTuple):
    """One element holding an Id an XPDL 2.2 package-wide key covers."""

    kind: str
    #: where it is, for a person (``process 'p1'``, ``activity set 's' of process 'p1'``)
    where: str
    #: what tells its repeats apart from ``duplicate-id``'s: its process, or its holder
    home: str
    #: its process (None: the package's), which tells whether a deploy's process is concerned
    process: str | None
    line: int | None


#: what renames each key's repeats: activities, transitions and activity sets are renamed by
#: ``unique_ids``; data fields never are (expressions and instance data use their Ids)
_RENAMED = (
    "give each its own Id, or write the package through unique_ids() (as wfengine convert "
    "does), which renames the later ones and every reference to them"
)
_NOT_RENAMED = (
    "rename one (unique_ids() leaves data fields alone: expressions and instance data use "
    "their Ids)"
)


def _key_holders(package: Package) -> Iterator[tuple[str, str, _Holder]]:
    """(key, Id, holder) for each element XPDL 2.2's package-wide keys cover, the keys named
    as the schema names them (``GraphicalItemAware``: activities and transitions together)."""
    top = f"package {package.id!r}"
    for pool in package.pools:
        yield "PoolAndActivityIds", pool.id, _Holder("pool", top, top, None, pool.line)
    for field in package.data_fields:
        yield "DataField", field.id, _Holder("data field", top, top, None, field.line)
    for process in package.workflow_processes:
        where = f"process {process.id!r}"
        yield "ProcessIds", process.id, _Holder("process", top, where, process.id, process.line)
        for field in process.data_fields:
            yield "DataField", field.id, _Holder("data field", where, where, process.id, field.line)
        scopes = [(where, process.activities, process.transitions)]
        for s in process.activity_sets:
            yield "ProcessIds", s.id, _Holder("activity set", where, where, process.id, s.line)
            scopes.append((f"activity set {s.id!r} of {where}", s.activities, s.transitions))
        for scope, activities, transitions in scopes:
            for a in activities:
                held = _Holder("activity", scope, where, process.id, a.line)
                yield "GraphicalItemAware", a.id, held
                yield "PoolAndActivityIds", a.id, held
                for field in a.data_fields:
                    at = f"activity {a.id!r} of {scope}"
                    yield "DataField", field.id, _Holder("data field", at, at, process.id, a.line)
            for t in transitions:
                held = _Holder("transition", scope, where, process.id, t.line)
                yield "GraphicalItemAware", t.id, held


def _key_findings(ctx: Context) -> Iterator[Diagnostic]:
    """``duplicate-id-package``: an Id one of XPDL 2.2's package-wide keys covers, held by
    elements of two processes or two kinds, for a package built in code (see the module's
    notes); in a deploy's validation, only where the deployed process holds one."""
    if ctx.package.source_version is not None:
        return
    concerned = {p.id for p in ctx.processes}
    repeats = ctx.once(_key_repeats, lambda: _key_repeats(ctx.package))
    # each repeat concerning a process validated, in the package's order
    chosen = sorted({i for process_id in concerned for i in repeats.by_process.get(process_id, ())})
    reported: set[tuple[str, bool]] = set()  # an activity's Id is in two keys: one finding
    for key, element_id, holders in (repeats.found[i] for i in chosen):
        once = (element_id, key == "DataField")
        if once in reported:
            continue
        reported.add(once)
        named = ", ".join(f"{h.kind} {element_id!r} of {h.where}" for h in holders)
        fix = _NOT_RENAMED if key == "DataField" else _RENAMED
        yield make(
            "duplicate-id-package",
            f"{named}: XPDL 2.2 keys these Ids package-wide ({key}.Package), so a file "
            f"written from the package does not validate; {fix}",
            element_id=element_id,
            line=next((h.line for h in holders if h.line is not None), None),
        )


class _Repeats(NamedTuple):
    """The Ids a package-wide key holds in two homes or as two kinds (:func:`_key_repeats`)."""

    #: (key, Id, holders) for each, in the order the keys first see them
    found: list[tuple[str, str, list[_Holder]]]
    #: for a process Id, the indexes in :attr:`found` of those its process holds
    by_process: dict[str, list[int]]


def _key_repeats(package: Package) -> _Repeats:
    """The package's repeated keyed Ids, worked out once for every process validated: a
    deploy validating each process asks which concern it, not the whole package again."""
    keyed: dict[tuple[str, str], list[_Holder]] = {}
    for key, element_id, holder in _key_holders(package):
        keyed.setdefault((key, element_id), []).append(holder)
    repeats = _Repeats([], {})
    for (key, element_id), holders in keyed.items():
        if len({h.home for h in holders}) < 2 and len({h.kind for h in holders}) < 2:
            continue  # one home's repeats are duplicate-id's and duplicate-id-scopes'
        for process_id in {h.process for h in holders if h.process is not None}:
            repeats.by_process.setdefault(process_id, []).append(len(repeats.found))
        repeats.found.append((key, element_id, holders))
    return repeats


def _pool_findings(package: Package) -> Iterator[Diagnostic]:
    """``undefined-process`` (a warning): a Pool whose Process names no process here, nor
    an activity set of one (the pool tools draw for an embedded sub-process, which the
    schema's key ``ProcessIds.Package`` allows)."""
    processes = [p.id for p in package.workflow_processes]
    drawable = {*processes, *(s.id for p in package.workflow_processes for s in p.activity_sets)}
    for pool in package.pools:
        if pool.process is not None and pool.process not in drawable:
            yield make(
                "undefined-process",
                f"pool {pool.id!r} names process {pool.process!r}, which is no process or "
                f"activity set of package {package.id!r} (processes: "
                f"{', '.join(processes) or 'none'}): its lanes are drawn for no process, and a "
                "written file does not validate (XPDL 2.2 keys a Pool's Process to the "
                "package's processes and activity sets); name one of them",
                element_id=pool.id,
                line=pool.line,
                severity=Severity.WARNING,
            )
