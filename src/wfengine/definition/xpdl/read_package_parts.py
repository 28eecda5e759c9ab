"""Reading the package-level parts: headers, conformance class, script, external packages,
participants, applications, pools and lanes.

These are shared by processes too (a process has its own participants, applications and
redefinable header), so they take an element and return a model node without knowing where
they sit.
"""

from __future__ import annotations

from lxml import etree

from wfengine.definition.checks.readings import quote
from wfengine.definition.model import (
    WFENGINE_NS,
    Application,
    ConformanceClass,
    ExternalPackage,
    ExternalReference,
    Lane,
    PackageHeader,
    Participant,
    ParticipantKind,
    Pool,
    RedefinableHeader,
    Script,
    XmlNode,
)
from wfengine.definition.xpdl.read_context import (
    Cursor,
    ReadContext,
    Unreadable,
    element_text,
    owner_id,
)
from wfengine.definition.xpdl.read_nodes import line_of, local_name, to_xml_node
from wfengine.definition.xpdl.read_types import (
    read_extended_attributes,
    read_external_reference,
    read_formal_parameters,
)

_PARTICIPANT_KINDS = {k.value: k for k in ParticipantKind}


def read_package_header(ctx: ReadContext, el: etree._Element) -> PackageHeader:
    cur = Cursor(ctx, el)
    header = PackageHeader(
        xpdl_version=cur.text("XPDLVersion"),
        vendor=cur.text("Vendor"),
        created=cur.text("Created"),
        modification_date=cur.text("ModificationDate"),
        description=cur.prose("Description"),
        documentation=cur.prose("Documentation"),
        priority_unit=cur.text("PriorityUnit"),
        cost_unit=cur.text("CostUnit"),
        extras=cur.extras(),
        extra_attrs=cur.extra_attrs(),
        line=cur.line,
    )
    return header


def read_redefinable_header(ctx: ReadContext, el: etree._Element) -> RedefinableHeader:
    cur = Cursor(ctx, el)
    spill: list[XmlNode] = []
    responsibles: list[str] = []
    for wrapper in cur.children("Responsibles"):
        wcur = Cursor(ctx, wrapper)
        for r in wcur.children("Responsible"):
            text = ctx.text_of(r)  # (what else it has is warned: the model keeps the text)
            if text:
                responsibles.append(text)
        wcur.spill(spill)
    header = RedefinableHeader(
        author=cur.text("Author"),
        version=cur.text("Version"),
        codepage=cur.text("Codepage"),
        country_key=cur.text("Countrykey", "CountryKey"),
        responsibles=tuple(responsibles),
        publication_status=cur.attr("PublicationStatus"),
        **cur.rest(spill),
    )
    return header


def read_conformance_class(
    ctx: ReadContext, el: etree._Element, spill: list[XmlNode]
) -> ConformanceClass:
    """GraphConformance (1.0 and 2.x) and BPMNModelPortabilityConformance (2.1 and 2.2).

    The element has no content in any schema; stray children go to the package's extras.
    """
    cur = Cursor(ctx, el)
    cc = ConformanceClass(
        graph_conformance=cur.attr("GraphConformance"),
        bpmn_portability=cur.attr("BPMNModelPortabilityConformance"),
        extra_attrs=cur.extra_attrs(),
        line=cur.line,
    )
    cur.spill(spill, attrs=False)
    return cc


def read_script(ctx: ReadContext, el: etree._Element, spill: list[XmlNode]) -> Script:
    cur = Cursor(ctx, el)
    script = Script(
        type=cur.required_attr("Type"),
        version=cur.attr("Version"),
        grammar=cur.attr("Grammar"),
        extra_attrs=cur.extra_attrs(),
        line=cur.line,
    )
    cur.spill(spill, attrs=False)
    return script


def read_external_package(ctx: ReadContext, el: etree._Element) -> ExternalPackage:
    """An external package; ``href`` is optional because 2.x tools identify some by Id alone."""
    cur = Cursor(ctx, el)
    spill: list[XmlNode] = []
    return ExternalPackage(
        href=cur.attr("href"),
        id=cur.attr("Id"),
        name=cur.attr("Name"),
        extended_attributes=read_extended_attributes(ctx, cur, spill),
        **cur.rest(spill),
    )


def read_participant(ctx: ReadContext, el: etree._Element) -> Participant:
    """A participant; 1.0 and 2.x both write ``<ParticipantType Type="ROLE"/>``."""
    cur = Cursor(ctx, el)
    spill: list[XmlNode] = []
    kind = ParticipantKind.ROLE
    ptype = cur.child("ParticipantType")
    if ptype is not None:
        pcur = Cursor(ctx, ptype)
        raw = pcur.part_attr("Type", "the participant is a role, as without it")
        if raw is not None:
            if raw.strip() not in _PARTICIPANT_KINDS:
                raise Unreadable(f"unknown participant type {quote(raw.strip())}", ptype)
            kind = _PARTICIPANT_KINDS[raw.strip()]
            pcur.spill(spill)
    ext = cur.child("ExternalReference")
    return Participant(
        id=cur.required_attr("Id"),
        name=cur.attr("Name"),
        type=kind,
        description=cur.prose("Description"),
        external_reference=_external_reference(ctx, ext, "participant", spill),
        extended_attributes=read_extended_attributes(ctx, cur, spill),
        **cur.rest(spill),
    )


def read_application(ctx: ReadContext, el: etree._Element) -> Application:
    """An application: FormalParameters or an ExternalReference; 2.x's ``Type`` kept verbatim.

    The schema allows only one of FormalParameters and ExternalReference, so the writer keeps
    the reference of an application with both as ``wfe:ExternalReference``; it is read the
    same way. An XPDL ExternalReference wins; a second reference stays in ``extras``.
    """
    cur = Cursor(ctx, el)
    spill: list[XmlNode] = []
    app_type = cur.child("Type")
    ext = cur.child("ExternalReference")
    if ext is None:
        ext = cur.child("ExternalReference", namespace=WFENGINE_NS)
    return Application(
        id=cur.required_attr("Id"),
        name=cur.attr("Name"),
        description=cur.prose("Description"),
        formal_parameters=read_formal_parameters(ctx, cur, spill),
        external_reference=_external_reference(ctx, ext, "application", spill),
        type=to_xml_node(app_type) if app_type is not None else None,
        extended_attributes=read_extended_attributes(ctx, cur, spill),
        **cur.rest(spill),
    )


def _external_reference(
    ctx: ReadContext, el: etree._Element | None, owner: str, spill: list[XmlNode]
) -> ExternalReference | None:
    """The ExternalReference of a participant or application, a part it can stand without:
    one with no ``location`` (required) is kept as XML in ``spill``, with a warning, and the
    ``owner`` is read without it. Keeping the whole Participant as XML for it left its
    performers no participant, and their work offered to nobody."""
    if el is None:
        return None
    if el.get("location") is None:
        ctx.warn(
            "xpdl-unreadable",
            f"<{local_name(el)}> at line {line_of(el)} has no location; it is kept as XML, "
            f"and the {owner} is read without it",
            el,
            owner_id(el),
        )
        spill.append(to_xml_node(el))
        return None
    return read_external_reference(ctx, el)


def read_performer_list(ctx: ReadContext, cur: Cursor, spill: list[XmlNode]) -> tuple[str, ...]:
    """Performers as 2.x writes them (``Performers/Performer``) and 1.0 (a single ``Performer``)."""
    return tuple(name for name, _ in read_performers(ctx, cur, spill))


def read_performers(
    ctx: ReadContext, cur: Cursor, spill: list[XmlNode]
) -> tuple[tuple[str, int | None], ...]:
    """:func:`read_performer_list` with the line of each ``<Performer>``, which an activity
    keeps (``Activity.performer_lines``) for the findings about that performer."""
    performers: list[tuple[str, int | None]] = []
    for el in cur.children("Performers", "Performer"):
        items = [el]
        if local_name(el) == "Performers":
            pcur = Cursor(ctx, el)
            items = pcur.children("Performer")
            pcur.spill(spill)
        for p in items:
            text = element_text(p)
            if text:
                performers.append((text, line_of(p)))
            Cursor(ctx, p).drop_attrs()
    return tuple(performers)


def read_lane(ctx: ReadContext, el: etree._Element) -> Lane:
    cur = Cursor(ctx, el)
    spill: list[XmlNode] = []
    return Lane(
        id=cur.required_attr("Id"),
        name=cur.attr("Name"),
        parent_pool=cur.attr("ParentPool"),
        parent_lane=cur.attr("ParentLane"),
        performers=read_performer_list(ctx, cur, spill),
        graphics=read_graphics(cur, "NodeGraphicsInfos", spill),
        # 2.2 has no ExtendedAttributes here: the writer keeps them as wfe:ExtendedAttributes
        extended_attributes=read_extended_attributes(ctx, cur, spill, own=True),
        **cur.rest(spill),
    )


def read_pool(ctx: ReadContext, el: etree._Element) -> Pool:
    cur = Cursor(ctx, el)
    spill: list[XmlNode] = []
    lanes = cur.wrapped("Lanes", "Lane", spill, kept=True)
    return Pool(
        id=cur.required_attr("Id"),
        name=cur.attr("Name"),
        process=cur.attr("Process"),
        participant=cur.attr("Participant"),
        boundary_visible=cur.attr_bool("BoundaryVisible"),
        orientation=cur.attr("Orientation"),
        lanes=tuple(ctx.read_each(lanes, read_lane, spill)),
        graphics=read_graphics(cur, "NodeGraphicsInfos", spill),
        # 2.2 has no ExtendedAttributes here: the writer keeps them as wfe:ExtendedAttributes
        extended_attributes=read_extended_attributes(ctx, cur, spill, own=True),
        **cur.rest(spill),
    )


def read_graphics(cur: Cursor, wrapper: str, spill: list[XmlNode]) -> tuple[XmlNode, ...]:
    """The children of NodeGraphicsInfos / ConnectorGraphicsInfos, verbatim."""
    out: list[XmlNode] = []
    for w in cur.children(wrapper):
        wcur = Cursor(cur.ctx, w)
        out.extend(wcur.extras())
        wcur.spill([])
    return tuple(out)
