"""Reading data: data types, type declarations, formal parameters, data fields, extended attributes.

XPDL 1.0 and 2.x share these elements almost unchanged; the differences handled here are 2.x's
``Length``/``Precision``/``Scale`` children of ``BasicType``, ``IsArray`` spelled TRUE/FALSE in
1.0 and true/false in 2.x, and 1.0's ``Index`` on formal parameters.
"""

from __future__ import annotations

from lxml import etree

from wfengine.definition.checks.readings import listed, quote
from wfengine.definition.model import (
    WFENGINE_NS,
    ArrayType,
    BasicType,
    BasicTypeKind,
    DataField,
    DataType,
    DeclaredType,
    EnumerationType,
    ExtendedAttribute,
    ExternalReference,
    FormalParameter,
    ListType,
    ParameterMode,
    RecordType,
    SchemaType,
    TypeDeclaration,
    UnionType,
    XmlNode,
)
from wfengine.definition.xpdl.kept import DATA_TYPE_ELEMENTS, UNSET_INDEXES
from wfengine.definition.xpdl.read_context import (
    Cursor,
    ReadContext,
    Unreadable,
    element_children,
)
from wfengine.definition.xpdl.read_nodes import (
    local_name,
    mixed_content,
    to_xml_node,
    value_declarations,
)

_BASIC_KINDS = {k.value: k for k in BasicTypeKind}
_MODES = {m.value: m for m in ParameterMode}


# --------------------------------------------------------------------------- extended attributes


def read_extended_attribute(ctx: ReadContext, el: etree._Element) -> ExtendedAttribute:
    """One ExtendedAttribute: Name, the ``Value`` attribute, text content, element content.

    ``value`` is only ever the ``Value`` attribute and ``text`` only the text content, so the
    document can be written back as it was: some tools (shoobx, Together) write the value as
    text, and a few write both. Text is kept as written (not stripped); with element content,
    ``text`` is the leading text and later text is the children's ``tail``, as in XmlNode.
    """
    cur = Cursor(ctx, el)
    name = cur.required_attr("Name")
    value = cur.attr("Value")
    text, content = mixed_content(el, foreign=True)
    cur.drop_attrs()
    # a prefix in the value or the text (``Value="o:OrderType"``) names the namespace it is
    # bound to here; the element content's elements keep their own declarations
    texts = (value, text, *(node.tail for node in content))
    return ExtendedAttribute(
        name=name,
        value=value,
        text=text,
        content=content,
        namespaces=value_declarations(el, texts),
        line=cur.line,
    )


def read_extended_attributes(
    ctx: ReadContext, cur: Cursor, spill: list[XmlNode], *, own: bool = False
) -> tuple[ExtendedAttribute, ...]:
    """All ExtendedAttribute elements under the ExtendedAttributes children of ``cur``.

    Repeated names are all kept, in order: XPDL allows them and some engines rely on it.
    ``own`` also reads ``wfe:ExtendedAttributes/wfe:ExtendedAttribute`` (same structure, in
    ``WFENGINE_NS``): the writer's form for elements that have no ExtendedAttributes in 2.2
    (ActivitySet, Pool, Lane, TaskApplication). XPDL ones come first; the writer never
    writes both on one element.
    """
    items = cur.wrapped("ExtendedAttributes", "ExtendedAttribute", spill, kept=True)
    if own:
        items += cur.wrapped(
            "ExtendedAttributes", "ExtendedAttribute", spill, namespace=WFENGINE_NS
        )
    return tuple(ctx.read_each(items, read_extended_attribute, spill))


# --------------------------------------------------------------------------- data types


def read_external_reference(ctx: ReadContext, el: etree._Element) -> ExternalReference:
    """An ExternalReference (a data type, or a participant's/application's reference).

    The schema gives it no content, and the model no ``extras``: a child (a vendor's
    element) is dropped, each warned by name. Why not moved to the enclosing element, as a
    Split's are: the reference sits in a data type, a participant or an application, read by
    callers with no enclosing element to give it; dropping it is what README says.
    """
    cur = Cursor(ctx, el)
    ref = ExternalReference(
        location=cur.required_attr("location"),
        xref=cur.attr("xref"),
        namespace=cur.attr("namespace"),
        extra_attrs=cur.extra_attrs(),
        line=cur.line,
    )
    for child in cur.extras():
        ctx.warn(
            "xpdl-unreadable",
            f"<{child.local_name}> in <ExternalReference> at line {cur.line} has no place in "
            "the model and is not kept",
            el,
        )
    return ref


def read_data_type_element(ctx: ReadContext, el: etree._Element, spill: list[XmlNode]) -> DataType:
    """One data-type element (BasicType, DeclaredType, ... ListType) as a model data type.

    Data types have no ``extras`` of their own: unknown children go to ``spill`` (the
    enclosing data field's or declaration's extras). Unknown attributes are kept in
    ``extra_attrs`` where the class has one (BasicType, DeclaredType, ExternalReference, the
    ones tools decorate) and reported otherwise.
    """
    name = local_name(el)
    if name == "ExternalReference":
        return read_external_reference(ctx, el)
    cur = Cursor(ctx, el)
    result: DataType
    # only BasicType and DeclaredType have room for unknown attributes; the others' are warned
    keeps_attrs = name in ("BasicType", "DeclaredType")
    if name == "BasicType":
        kind = cur.required_attr("Type").strip()
        if kind not in _BASIC_KINDS:
            raise Unreadable(f"unknown basic type {quote(kind)}")
        result = BasicType(
            type=_BASIC_KINDS[kind],
            length=_length(cur),
            precision=_int_text(cur, "Precision"),
            scale=_int_text(cur, "Scale"),
            extra_attrs=cur.extra_attrs(),
            line=cur.line,
        )
    elif name == "DeclaredType":
        result = DeclaredType(
            id=cur.required_attr("Id"),
            name=cur.attr("Name"),
            extra_attrs=cur.extra_attrs(),
            line=cur.line,
        )
    elif name == "SchemaType":
        result = SchemaType(
            content=tuple(to_xml_node(c, foreign=True) for c in element_children(el)),
            line=cur.line,
        )
        cur.spill([], moved=False)  # (its children are its content: read above)
    elif name in ("RecordType", "UnionType"):
        members = _read_members(ctx, cur, spill)
        if name == "RecordType":
            result = RecordType(members=members, line=cur.line)
        else:
            result = UnionType(members=members, line=cur.line)
    elif name == "EnumerationType":
        result = EnumerationType(values=_enumeration_values(ctx, cur, spill), line=cur.line)
    elif name == "ArrayType":
        result = ArrayType(
            element=_read_single_type(ctx, cur, spill),
            lower_index=_array_index(cur, "LowerIndex"),
            upper_index=_array_index(cur, "UpperIndex"),
            line=cur.line,
        )
    elif name == "ListType":
        result = ListType(element=_read_single_type(ctx, cur, spill), line=cur.line)
    else:
        raise Unreadable(f"<{name}> is not a data type")
    cur.spill(spill, attrs=not keeps_attrs)
    return result


def _enumeration_values(ctx: ReadContext, cur: Cursor, spill: list[XmlNode]) -> tuple[str, ...]:
    """An EnumerationType's values; one without a Name is dropped with a warning, and the
    type keeps the others. When none is left, the element around is kept whole as XML
    (:class:`Unreadable`, naming the first such value): an enumeration of no value took
    every value, as if the field had no type."""
    values: list[str] = []
    elements = cur.children("EnumerationValue")
    for v in elements:
        vcur = Cursor(ctx, v)
        value = vcur.part_attr("Name", "the type keeps its other values")
        if value is not None:
            values.append(value)
            vcur.spill(spill)
    if elements and not values:
        raise Unreadable("required attribute Name is missing", elements[0])
    return tuple(values)


def _array_index(cur: Cursor, name: str) -> str | None:
    """An ArrayType's LowerIndex or UpperIndex: None where the writer put the schema's
    required ``0`` for an index the model had none of (named in ``wfe:unset``,
    :data:`~wfengine.definition.xpdl.kept.UNSET_INDEXES`); as written otherwise, so a file
    without the mark (earlier versions wrote ``0`` alone) reads as before."""
    value = cur.attr(name)
    unset = (cur.attr(UNSET_INDEXES) or "").split()
    return None if name in unset and value is not None and value.strip() == "0" else value


def _length(cur: Cursor) -> int | str | None:
    """A BasicType's Length: a number, else its text as written (the 2.x schemas type it as
    a string; ``unbounded`` refused the whole DataField once)."""
    text = cur.text("Length")
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return text


def _int_text(cur: Cursor, name: str) -> int | None:
    text = cur.text(name)
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        raise Unreadable(f"{name} {quote(text)} is not an integer") from None


def _read_members(ctx: ReadContext, cur: Cursor, spill: list[XmlNode]) -> tuple[DataType, ...]:
    """Record/union members: ``Member`` wrappers, or (some 2.0 drafts) bare data types."""
    members: list[DataType] = []
    for m in cur.children("Member", *DATA_TYPE_ELEMENTS):
        if local_name(m) == "Member":
            mcur = Cursor(ctx, m)
            members.append(_read_single_type(ctx, mcur, spill))
            mcur.spill(spill)
        else:
            members.append(read_data_type_element(ctx, m, spill))
    return tuple(members)


def _read_single_type(ctx: ReadContext, cur: Cursor, spill: list[XmlNode]) -> DataType:
    el = cur.child(*DATA_TYPE_ELEMENTS)
    if el is None:
        raise Unreadable(f"<{cur.name}> names no data type")
    return read_data_type_element(ctx, el, spill)


def read_data_type(ctx: ReadContext, cur: Cursor, spill: list[XmlNode]) -> DataType:
    """The data type inside the ``DataType`` child of ``cur`` (data fields, parameters)."""
    wrapper = cur.child("DataType")
    if wrapper is None:
        raise Unreadable("DataType is missing")
    inner = Cursor(ctx, wrapper)
    data_type = _read_single_type(ctx, inner, spill)
    inner.spill(spill)
    return data_type


# --------------------------------------------------------------------------- declarations


def read_type_declaration(ctx: ReadContext, el: etree._Element) -> TypeDeclaration:
    cur = Cursor(ctx, el)
    spill: list[XmlNode] = []
    return TypeDeclaration(
        id=cur.required_attr("Id"),
        name=cur.attr("Name"),
        data_type=_read_single_type(ctx, cur, spill),
        description=cur.prose("Description"),
        extended_attributes=read_extended_attributes(ctx, cur, spill),
        **cur.rest(spill),
    )


def read_formal_parameter(ctx: ReadContext, el: etree._Element) -> FormalParameter:
    cur = Cursor(ctx, el)
    spill: list[XmlNode] = []
    fp_id, name = cur.required_attr("Id"), cur.attr("Name")
    mode = cur.attr_choice("Mode", _MODES) or ParameterMode.IN
    data_type = read_data_type(ctx, cur, spill)
    initial, initial_attrs = cur.text_and_attrs("InitialValue")
    return FormalParameter(
        id=fp_id,
        name=name,
        mode=mode,
        data_type=data_type,
        initial_value=initial,
        initial_value_attrs=initial_attrs,
        description=cur.prose("Description"),
        is_array=bool(cur.attr_bool("IsArray")),
        index=_parameter_index(cur),
        **cur.rest(spill),
    )


def _parameter_index(cur: Cursor) -> str | None:
    """1.0's ``Index``, or ``wfe:Index``: where the 2.2 writer keeps it (2.2 has no Index).

    Both are marked read, so a ``wfe:Index`` never lingers in ``extra_attrs``; should a
    document carry both, the XPDL attribute wins.
    """
    index = cur.attr("Index")
    own = cur.attr(f"{{{WFENGINE_NS}}}Index")
    return index if index is not None else own


def read_formal_parameters(
    ctx: ReadContext, cur: Cursor, spill: list[XmlNode]
) -> tuple[FormalParameter, ...]:
    items = cur.wrapped("FormalParameters", "FormalParameter", spill, kept=True)
    return _in_index_order(ctx, cur, tuple(ctx.read_each(items, read_formal_parameter, spill)))


#: what the owner of a formal parameter list is called in a message
_OWNERS = {"Application": "application", "WorkflowProcess": "process"}


def _in_index_order(
    ctx: ReadContext, cur: Cursor, params: tuple[FormalParameter, ...]
) -> tuple[FormalParameter, ...]:
    """``params`` of an XPDL 1.0 document as written, with a ``parameter-index`` warning
    where an ``Index`` (1.0's position of a parameter) given is not followed: out of the
    order written, repeated, or no whole number. A call's actual parameters bind in the order
    written, as every earlier wfengine bound them. Why not in Index order: a stored
    deployment of such a file is read again from its text, and its instances were compiled
    binding as written; reordered, a redeploy of the unchanged file made new versions whose
    Modes the running callers' positional subflow calls no longer fitted, an incident no
    retry cleared. The warning says how to list them so both readings agree. In 2.x, where a
    1.0 Index survives as ``wfe:Index`` (or a 1.0-form parameter), document order is the
    meaning."""
    if ctx.version != "1.0" or all(p.index is None for p in params):
        return params
    numbers = [_whole(p.index) for p in params]
    order = {number: p for number, p in zip(numbers, params, strict=True) if number is not None}
    if len(order) == len(params):  # each a whole number, none repeated
        if list(order) != sorted(order):
            owner = f"{_OWNERS.get(cur.name, cur.name)} {quote(cur.el.get('Id') or '')}"
            ctx.warn(
                "parameter-index",
                f"the formal parameters of {owner} are listed out of their Index order: they "
                f"are bound in the order written ({listed([quote(p.id) for p in params])}), "
                "not in Index order ("
                f"{listed([quote(order[n].id) for n in sorted(order)])}): list them in Index "
                "order to bind them so",
                cur.el,
            )
        return params
    given = [n for n in numbers if n is not None]
    why = [
        f"{quote(p.id)} has Index {quote(p.index)}, which is no whole number"
        for p in params
        if p.index is not None and _whole(p.index) is None
    ]
    holders: dict[int, list[str]] = {}
    for number, p in zip(numbers, params, strict=True):
        if number is not None:
            holders.setdefault(number, []).append(quote(p.id))
    why.extend(f"Index {n} is given to {listed(ids)}" for n, ids in holders.items() if len(ids) > 1)
    missing = [quote(p.id) for p in params if p.index is None]
    if missing and given != sorted(given):
        have = "has" if len(missing) == 1 else "have"
        why.append(f"{listed(missing)} {have} no Index, and the others are out of Index order")
    if why:
        owner = f"{_OWNERS.get(cur.name, cur.name)} {quote(cur.el.get('Id') or '')}"
        ctx.warn(
            "parameter-index",
            f"the formal parameters of {owner} do not each have a distinct whole-number "
            f"Index ({'; '.join(why)}): they are bound in the order written "
            f"({listed([quote(p.id) for p in params])})",
            cur.el,
        )
    return params


def _whole(index: str | None) -> int | None:
    """``index`` as a whole number (ASCII digits, spaces around them allowed), else None."""
    text = (index or "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def read_data_field(ctx: ReadContext, el: etree._Element) -> DataField:
    cur = Cursor(ctx, el)
    spill: list[XmlNode] = []
    field_id, name = cur.required_attr("Id"), cur.attr("Name")
    data_type = read_data_type(ctx, cur, spill)
    initial, initial_attrs = cur.text_and_attrs("InitialValue")
    return DataField(
        id=field_id,
        name=name,
        data_type=data_type,
        initial_value=initial,
        initial_value_attrs=initial_attrs,
        length=cur.text("Length"),
        description=cur.prose("Description"),
        is_array=bool(cur.attr_bool("IsArray")),
        read_only=bool(cur.attr_bool("ReadOnly")),
        correlation=bool(cur.attr_bool("Correlation")),
        extended_attributes=read_extended_attributes(ctx, cur, spill),
        **cur.rest(spill),
    )


def read_data_fields(ctx: ReadContext, cur: Cursor, spill: list[XmlNode]) -> tuple[DataField, ...]:
    items = cur.wrapped("DataFields", "DataField", spill, kept=True)
    return tuple(ctx.read_each(items, read_data_field, spill))
