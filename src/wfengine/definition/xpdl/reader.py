"""Reading an XPDL 1.0/2.0/2.1/2.2 document into a :class:`~wfengine.definition.model.Package`.

The version comes from the root element's namespace, because that is what decides the schema
(the 2.x schemas import 1.0, so a 1.0 file would pass them all). A document without any
namespace is read as XPDL with a warning: hand-written and some tool-generated files omit it.

Only an unusable document raises (:class:`~wfengine.errors.XpdlLoadError`: not XML, hostile,
not XPDL). Content problems, from schema violations to an activity without an Id, become
warnings in ``Package.load_diagnostics`` and the offending XML is kept in ``extras``: real
tools write files that break their own schema, and refusing them helps nobody.
"""

from __future__ import annotations

from typing import TypedDict

from lxml import etree

from wfengine.definition import diagnostics
from wfengine.definition.diagnostics import Diagnostic
from wfengine.definition.model import (
    WFENGINE_NS,
    XPDL_NAMESPACES,
    Package,
    PackageHeader,
    XmlNode,
)
from wfengine.definition.xpdl import schema as xsd
from wfengine.definition.xpdl.read_context import (
    Cursor,
    ReadContext,
    element_text,
)
from wfengine.definition.xpdl.read_mappings import apply_data_mappings
from wfengine.definition.xpdl.read_nodes import (
    XPDL_LIKE_NAMESPACES,
    is_xpdl,
    line_of,
    local_name,
    namespace_of,
    true_lines,
    unqualified_is_xpdl,
)
from wfengine.definition.xpdl.read_package_parts import (
    read_application,
    read_conformance_class,
    read_external_package,
    read_package_header,
    read_participant,
    read_pool,
    read_redefinable_header,
    read_script,
)
from wfengine.definition.xpdl.read_process import read_process
from wfengine.definition.xpdl.read_types import (
    read_data_fields,
    read_extended_attributes,
    read_type_declaration,
)
from wfengine.definition.xpdl.schema_location import without_xpdl_schema_locations
from wfengine.definition.xpdl.secure import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ELEMENTS,
    exact_lines,
    parse_xml,
)
from wfengine.errors import XpdlLoadError

#: the version assumed for a document that has no namespace and no usable XPDLVersion
DEFAULT_VERSION = "2.2"


def read_package(
    data: bytes,
    *,
    source: str | None = None,
    schema: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_elements: int = DEFAULT_MAX_ELEMENTS,
) -> Package:
    """Parse and read an XPDL document.

    ``source`` names the document in diagnostics (a path, usually). ``schema=False`` skips the
    XSD check. Raises ``XpdlLoadError`` only for documents that are not usable XML or not XPDL
    (``xml-too-large`` past ``max_bytes`` bytes or ``max_elements`` elements).
    """
    try:
        tree = parse_xml(data, max_bytes=max_bytes, max_elements=max_elements)
    except XpdlLoadError as exc:
        if source is None:
            raise
        raise XpdlLoadError(exc.diagnostic.model_copy(update={"file": source})) from None
    lines = exact_lines(data, tree)  # empty unless the document has more than 65,534 lines
    with true_lines(lines):
        return read_tree(tree, source=source, schema=schema)


def read_tree(
    tree: etree._ElementTree, *, source: str | None = None, schema: bool = True
) -> Package:
    """Read an already parsed (and trusted to be safely parsed) XPDL tree."""
    root = tree.getroot()
    version, early = detect_version(root, source)
    findings: list[Diagnostic] = list(early)
    if schema and namespace_of(root) is not None:
        findings.extend(
            d.model_copy(update={"file": source}) for d in xsd.check_schema(tree, version)
        )
    ctx = ReadContext(version=version, source=source)
    with unqualified_is_xpdl(root):
        package = _read_package_element(ctx, root)
    package, mapped = apply_data_mappings(package, source)  # needs every callee read
    return package.model_copy(
        update={
            "source_version": version,
            "source_file": source,
            "load_diagnostics": tuple(findings + ctx.findings + mapped),
        }
    )


def detect_version(root: etree._Element, source: str | None = None) -> tuple[str, list[Diagnostic]]:
    """The XPDL version of a document from its root, and any warning about how it was decided.

    Raises ``XpdlLoadError`` (``xpdl-unknown-namespace``, ``xpdl-not-package``) when the root
    is not an XPDL Package.
    """
    ns = namespace_of(root)
    name = local_name(root)
    line = line_of(root)
    if ns is not None and ns not in XPDL_NAMESPACES:
        raise XpdlLoadError(
            diagnostics.make(
                "xpdl-unknown-namespace",
                f"the root element <{name}> is in namespace {ns!r}, which is not an XPDL "
                f"namespace (known: {', '.join(XPDL_NAMESPACES)})",
                line=line,
                file=source,
            )
        )
    if name != "Package":
        raise XpdlLoadError(
            diagnostics.make(
                "xpdl-not-package",
                f"the root element is <{name}>; an XPDL document's root is <Package>",
                line=line,
                file=source,
            )
        )
    if ns is not None:
        return XPDL_NAMESPACES[ns], []
    declared = _declared_version(root)
    version = (
        declared
        if declared is not None and declared in XPDL_NAMESPACES.values()
        else DEFAULT_VERSION
    )
    how = (
        f"PackageHeader/XPDLVersion says {declared}"
        if declared == version
        else f"no usable XPDLVersion; XPDL {DEFAULT_VERSION} assumed"
    )
    warning = diagnostics.make(
        "xpdl-no-namespace",
        f"the document has no XPDL namespace; read as XPDL {version} ({how}); not schema-checked",
        line=line,
        file=source,
    )
    return version, [warning]


def _declared_version(root: etree._Element) -> str | None:
    for header in root:
        if (
            isinstance(header.tag, str)
            and is_xpdl(header)
            and local_name(header) == "PackageHeader"
        ):
            for child in header:
                if isinstance(child.tag, str) and local_name(child) == "XPDLVersion":
                    return element_text(child)
    return None


def _vendor_namespaces(root: etree._Element) -> tuple[tuple[str, str], ...]:
    """Prefixes declared on the root for namespaces other than XPDL's, in declaration order.

    wfengine's own namespace is not a vendor's: the writer declares it whenever it uses it,
    so recording it would make a written package read back different from the one written.
    """
    return tuple(
        (str(prefix), str(uri))
        for prefix, uri in root.nsmap.items()
        if prefix is not None and uri not in XPDL_LIKE_NAMESPACES and uri != WFENGINE_NS
    )


def _read_package_element(ctx: ReadContext, root: etree._Element) -> Package:
    cur = Cursor(ctx, root)
    spill: list[XmlNode] = []
    package_id = cur.attr("Id")
    if package_id is None:
        ctx.warn("xpdl-unreadable", "the Package has no Id; an empty Id is used", root)
        package_id = ""
    header_el = cur.child("PackageHeader")
    header = read_package_header(ctx, header_el) if header_el is not None else PackageHeader()
    redefinable_el = cur.child("RedefinableHeader")
    conformance_el = cur.child("ConformanceClass")
    script_el = cur.child("Script")
    external = cur.wrapped("ExternalPackages", "ExternalPackage", spill, kept=True)
    types = cur.wrapped("TypeDeclarations", "TypeDeclaration", spill, kept=True)
    participants = cur.wrapped("Participants", "Participant", spill, kept=True)
    applications = cur.wrapped("Applications", "Application", spill, kept=True)
    pools = cur.wrapped("Pools", "Pool", spill, kept=True)
    processes = cur.wrapped("WorkflowProcesses", "WorkflowProcess", spill, kept=True)
    message_flows = _verbatim_list(cur, "MessageFlows", spill)
    associations = _verbatim_list(cur, "Associations", spill)
    artifacts = _verbatim_list(cur, "Artifacts", spill)
    return Package(
        id=package_id,
        name=cur.attr("Name"),
        header=header,
        redefinable_header=(
            read_redefinable_header(ctx, redefinable_el) if redefinable_el is not None else None
        ),
        conformance_class=(
            ctx.read_one(conformance_el, lambda c, e: read_conformance_class(c, e, spill), spill)
            if conformance_el is not None
            else None
        ),
        script=(
            ctx.read_one(script_el, lambda c, e: read_script(c, e, spill), spill)
            if script_el is not None
            else None
        ),
        external_packages=tuple(ctx.read_each(external, read_external_package, spill)),
        type_declarations=tuple(ctx.read_each(types, read_type_declaration, spill)),
        participants=tuple(ctx.read_each(participants, read_participant, spill)),
        applications=tuple(ctx.read_each(applications, read_application, spill)),
        data_fields=read_data_fields(ctx, cur, spill),
        workflow_processes=tuple(ctx.read_each(processes, read_process, spill)),
        pools=tuple(ctx.read_each(pools, read_pool, spill)),
        message_flows=message_flows,
        associations=associations,
        artifacts=artifacts,
        namespaces=_vendor_namespaces(root),
        extended_attributes=read_extended_attributes(ctx, cur, spill),
        extras=cur.extras() + tuple(spill),
        extra_attrs=without_xpdl_schema_locations(cur.extra_attrs()),
        line=cur.line,
        **_header_comments(root),
    )


class _HeaderComments(TypedDict):
    prolog_comments: tuple[str, ...]
    head_comments: tuple[str, ...]


def _header_comments(root: etree._Element) -> _HeaderComments:
    """The file's header comments (see ``Package.prolog_comments``): those before the root, in
    document order, and those inside it before its first child element."""
    prolog = [
        str(node.text or "")
        for node in root.itersiblings(preceding=True)
        if isinstance(node, etree._Comment)
    ]
    head: list[str] = []
    for node in root:
        if not isinstance(node, etree._Comment):
            if isinstance(node.tag, str):
                break
            continue  # a processing instruction: not kept, and no end of the header
        head.append(str(node.text or ""))
    return _HeaderComments(prolog_comments=tuple(reversed(prolog)), head_comments=tuple(head))


def _verbatim_list(cur: Cursor, wrapper: str, spill: list[XmlNode]) -> tuple[XmlNode, ...]:
    """MessageFlows / Associations / Artifacts: their children, kept verbatim."""
    out: list[XmlNode] = []
    for w in cur.children(wrapper):
        wcur = Cursor(cur.ctx, w)
        # spill(): the children, kept in their list, and a warning for any attribute on the
        # wrapper
        wcur.spill(out, moved=False)
    return tuple(out)


__all__ = ["DEFAULT_VERSION", "detect_version", "read_package", "read_tree"]
