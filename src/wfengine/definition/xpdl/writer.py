"""The XPDL 2.2 writer: a :class:`~wfengine.definition.model.Package` to document bytes.

Whatever version a package was read from, it is written as XPDL 2.2 (the newest WfMC schema,
default namespace ``http://www.wfmc.org/2009/XPDL2.2``), pretty-printed UTF-8 with an XML
declaration. Output is a pure function of the model: the same package always gives the same
bytes, so written files diff cleanly and round-trip tests can compare them.

How it is built: the ``write_*`` modules append each model part's elements under their parent
in whatever order is convenient, verbatim ``extras`` included; :func:`order_tree` then puts
every XPDL element's children into the order of the 2.2 schema from one table, and the tree is
indented and serialised. Where the schema requires something the model does not have (the
package header's Vendor and Created, a Pool's BoundaryVisible), the minimal valid form is
written; each such place says so.

Where 2.2 has no place for a model value, it is kept in wfengine's own namespace
``urn:wfengine:xpdl-extensions`` (prefix ``wfe``), always in a spot the schema leaves open
(``##other`` attribute or element wildcard), so the document stays valid and nothing is dropped:

* ``FormalParameter/@wfe:Index``: XPDL 1.0's parameter Index;
* ``wfe:ExtendedAttributes/wfe:ExtendedAttribute`` (the XPDL structure: Name, Value, text,
  element content) in ActivitySet, Pool, Lane, and in a TaskApplication whose call also has
  foreign attributes (other calls with ExtendedAttributes become ``deprecated:Tool``);
* ``Application/wfe:ExternalReference`` when the application also has FormalParameters
  (the schema allows only one of the two);
* ``Task/@wfe:TaskKind="Reference"`` on an empty Task, for a TaskReference the model has no
  TaskRef for (the schema requires one);
* ``@wfe:Verbatim="true"`` on an XPDL element kept verbatim (in ``extras``) that is written
  where the reader would take it for model content (:mod:`~wfengine.definition.xpdl.kept`).

The reader maps each back onto the same model field (and a marked element back into
``extras``).
"""

from __future__ import annotations

from lxml import etree

from wfengine.definition.model import (
    DEPRECATED_NS,
    WFENGINE_NS,
    XPDL22_NS,
    XPDL_NAMESPACES,
    Lane,
    Package,
    PackageHeader,
    Pool,
)
from wfengine.definition.xpdl.schema_location import XSI_NS, without_xpdl_schema_locations
from wfengine.definition.xpdl.write_data import (
    applications,
    data_fields,
    external_packages,
    participants,
    type_declarations,
)
from wfengine.definition.xpdl.write_keys import legacy_parameter_lists
from wfengine.definition.xpdl.write_order import order_tree
from wfengine.definition.xpdl.write_process import redefinable_header, workflow_process
from wfengine.definition.xpdl.write_xml import (
    WFENGINE_PREFIX,
    Element,
    append_extras,
    attributes_in_bulk,
    extended_attributes,
    new_element,
    q,
    set_extra_attrs,
    sub,
    text_children,
    text_list,
    wrap_xmlnodes,
    xml_bool,
)

__all__ = ["WFENGINE_NS", "XPDL_VERSION", "write_package"]

#: the version this writer emits, also written into ``PackageHeader/XPDLVersion``.
XPDL_VERSION = "2.2"
_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_INDENT = "  "


def write_package(package: Package) -> bytes:
    """The package as an XPDL 2.2 document (UTF-8 bytes, XML declaration, two-space indent)."""
    nsmap, vendor_prefixes = _namespaces(package)
    root = new_element(
        q("Package"),
        nsmap,
        [
            ("Id", package.id),
            ("Name", package.name),
            *without_xpdl_schema_locations(package.extra_attrs),
        ],
    )
    with attributes_in_bulk():
        _package_content(root, package)
    order_tree(root)
    # the file's header (Package.head_comments), before the first child whatever its order
    for comment in reversed(package.head_comments):
        root.insert(0, _comment(comment))
    unused = _unused_declarations(root, vendor_prefixes)
    kept = _whitespace_content(root)
    etree.indent(root, space=_INDENT)
    for element, text, tail, own_tail in kept:
        element.text = text
        if own_tail:
            element.tail = tail
    prolog = b"".join(
        etree.tostring(_comment(note), encoding="UTF-8") + b"\n" for note in package.prolog_comments
    )
    return _XML_DECLARATION + prolog + _serialise(root, unused) + b"\n"


def _comment(text: str) -> etree._Comment:
    """A comment holding ``text``, refused (:class:`ValueError`) where XML cannot hold it: a
    ``--`` inside or a ``-`` at its end, which no comment read from a file has."""
    try:
        return etree.Comment(text)
    except ValueError:
        raise ValueError(
            f"a header comment cannot hold {text[:40]!r}: XML refuses '--' in a comment and '-' "
            "at its end"
        ) from None


#: ``xml:space``: "preserve" says the whitespace inside an element is content
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _whitespace_content(root: Element) -> list[tuple[Element, str | None, str | None, bool]]:
    """The text and tail of each element in content whose whitespace is content, which
    indenting would replace: inside an element under ``xml:space="preserve"``, or with mixed
    content (text beside elements, ``<b>Dear</b> <i>customer</i>,``: the space between the
    words is one), as the reader keeps them (:func:`~wfengine.definition.xpdl.read_nodes.
    mixed_content`). Such an element's own tail is its parent's content, indented as it is:
    its entry says False, keep the tail indenting gives."""
    kept: list[tuple[Element, str | None, str | None, bool]] = []
    stack: list[tuple[Element, bool]] = [(root, False)]
    while stack:
        element, inherited = stack.pop()
        space = element.get(_XML_SPACE)
        preserved = inherited if space is None else space.strip() == "preserve"
        if len(element) and (preserved or _mixed(element)):
            kept.append((element, element.text, None, False))
            kept.extend((e, e.text, e.tail, True) for e in element.iterdescendants())
            continue
        stack.extend((child, preserved) for child in element if isinstance(child.tag, str))
    return kept


def _mixed(element: Element) -> bool:
    """Text that is not blank beside ``element``'s child elements."""
    if element.text is not None and element.text.strip():
        return True
    return any(child.tail is not None and child.tail.strip() for child in element)


def _package_content(root: Element, package: Package) -> None:
    """Everything inside ``<Package>``, in any order (:func:`order_tree` sorts it)."""
    _package_header(root, package.header)
    if package.redefinable_header is not None:
        redefinable_header(root, package.redefinable_header)
    if package.conformance_class is not None:
        cc = package.conformance_class
        conformance = sub(
            root,
            "ConformanceClass",
            GraphConformance=cc.graph_conformance,
            BPMNModelPortabilityConformance=cc.bpmn_portability,
        )
        set_extra_attrs(conformance, cc.extra_attrs)
    if package.script is not None:
        s = package.script
        script = sub(root, "Script", Type=s.type, Version=s.version, Grammar=s.grammar)
        set_extra_attrs(script, s.extra_attrs)
    external_packages(root, package.external_packages)
    type_declarations(root, package.type_declarations)
    participants(root, package.participants)
    legacy = legacy_parameter_lists(package)
    applications(root, package.applications, legacy)
    data_fields(root, package.data_fields)
    if package.pools:
        pools = sub(root, "Pools")
        for pool in package.pools:
            _pool(pools, pool)
    wrap_xmlnodes(root, "MessageFlows", package.message_flows)
    wrap_xmlnodes(root, "Associations", package.associations)
    wrap_xmlnodes(root, "Artifacts", package.artifacts)
    if package.workflow_processes:
        processes = sub(root, "WorkflowProcesses")
        for process in package.workflow_processes:
            workflow_process(processes, process, legacy)
    extended_attributes(root, package.extended_attributes)
    append_extras(root, package.extras)


def _namespaces(package: Package) -> tuple[dict[str | None, str], list[str]]:
    """The root's declarations: 2.2 as default, the source's own in source order, then ours.

    Vendor declarations of the source are re-declared under their prefixes, in the order the
    source declared them (so a read-back package lists them identically), except those that
    bind an XPDL namespace (a 1.0 file's ``xpdl:`` prefix: everything XPDL is now 2.2) or
    wfengine's own (the reader does not count it as a vendor's). Vendor prefixes win: the
    namespaces this writer uses itself (``deprecated``, ``xsi``, ``wfe``) are declared after
    them, under a prefix the source already has for the namespace, else under their usual one,
    numbered (``wfe1``) when a vendor's namespace holds it (readers go by the namespace, not
    the prefix).
    """
    own: dict[str, str] = {
        "deprecated": DEPRECATED_NS,
        "xsi": XSI_NS,
        WFENGINE_PREFIX: WFENGINE_NS,
    }
    nsmap: dict[str | None, str] = {None: XPDL22_NS}
    vendor: list[str] = []
    for prefix, uri in package.namespaces:
        if not prefix or prefix in nsmap or uri in XPDL_NAMESPACES or uri == WFENGINE_NS:
            continue
        nsmap[prefix] = uri
        vendor.append(prefix)
    declared = set(nsmap.values())
    for prefix, uri in own.items():
        if uri in declared:
            continue
        name, n = prefix, 0
        while name in nsmap:
            n += 1
            name = f"{prefix}{n}"
        nsmap[name] = uri
    return nsmap, vendor


def _unused_declarations(root: Element, vendor_prefixes: list[str]) -> list[tuple[str, str]]:
    """The root's optional declarations (prefix, namespace) that nothing in the tree uses.

    The tree is built under a root declaring every namespace the writer might use, so that no
    element gets a declaration of its own; the optional ones nothing used are left out of the
    document. Vendor prefixes always stay: attribute values and expressions may name them as
    QNames where no element does. (``etree.cleanup_namespaces`` is not used: it would also
    remove the ``xmlns=""`` that keeps an unqualified extension element out of the default
    namespace.)
    """
    used: set[str | None] = set()
    for element in root.iter():
        if isinstance(element.tag, str):
            used.add(etree.QName(element).namespace)
            used.update(etree.QName(name).namespace for name in element.attrib)
    return [
        (prefix, uri)
        for prefix, uri in root.nsmap.items()
        if prefix is not None and uri not in used and prefix not in vendor_prefixes
    ]


def _serialise(root: Element, unused: list[tuple[str, str]]) -> bytes:
    """``root`` as bytes, without the ``unused`` declarations in its start tag.

    Why on the bytes and not on the tree: lxml cannot remove one declaration from an element,
    and re-parenting the children under a new root with fewer declarations makes lxml rewrite
    every namespaced node's reference, which (lxml 6's namespace cache never hits when a
    reference must change) is quadratic in the size of the tree: it took most of the time of
    converting a 58,000-activity file. The edit is exact: libxml2 writes an element's
    declarations into its start tag as `` xmlns:prefix="uri"``, and escapes ``>`` and ``"``
    in attribute values, so the root's start tag ends at the first ``>`` and no attribute value
    can contain a declaration's text.
    """
    data = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    end = data.index(b">")
    start_tag, rest = data[:end], data[end:]
    for prefix, uri in unused:
        start_tag = start_tag.replace(f' xmlns:{prefix}="{uri}"'.encode(), b"", 1)
    return start_tag + rest


def _package_header(parent: Element, header: PackageHeader) -> None:
    element = sub(parent, "PackageHeader")
    set_extra_attrs(element, header.extra_attrs)
    # The document is 2.2 whatever the source said; XPDLVersion states what it is.
    sub(element, "XPDLVersion", XPDL_VERSION)
    # Vendor and Created are required: a model without them gets them empty (minimal valid form).
    sub(element, "Vendor", header.vendor or "")
    sub(element, "Created", header.created or "")
    text_children(
        element,
        (
            ("ModificationDate", header.modification_date),
            ("Description", header.description),
            ("Documentation", header.documentation),
            ("PriorityUnit", header.priority_unit),
            ("CostUnit", header.cost_unit),
        ),
    )
    append_extras(element, header.extras)


def _pool(parent: Element, pool: Pool) -> None:
    element = sub(
        parent,
        "Pool",
        Id=pool.id,
        Name=pool.name,
        Process=pool.process,
        Participant=pool.participant,
        Orientation=pool.orientation,
        # required by the schema; a model that does not say gets the visible default "true"
        BoundaryVisible=xml_bool(pool.boundary_visible is not False),
    )
    set_extra_attrs(element, pool.extra_attrs)
    if pool.lanes:
        lanes = sub(element, "Lanes")
        for lane in pool.lanes:
            _lane(lanes, lane)
    wrap_xmlnodes(element, "NodeGraphicsInfos", pool.graphics)
    # Pool and Lane have no ExtendedAttributes in 2.2: kept in wfengine's namespace instead.
    extended_attributes(element, pool.extended_attributes, own_namespace=True)
    append_extras(element, pool.extras)


def _lane(parent: Element, lane: Lane) -> None:
    element = sub(
        parent,
        "Lane",
        Id=lane.id,
        Name=lane.name,
        ParentPool=lane.parent_pool,
        ParentLane=lane.parent_lane,
    )
    set_extra_attrs(element, lane.extra_attrs)
    wrap_xmlnodes(element, "NodeGraphicsInfos", lane.graphics)
    text_list(element, "Performers", "Performer", lane.performers)
    extended_attributes(element, lane.extended_attributes, own_namespace=True)
    append_extras(element, lane.extras)
