"""XPDL 2.2 output for the data side of a package: types, fields, parameters, participants, apps.

These elements are shared by the package and each process, so they live apart from the
activity writer. Flags whose schema default is ``false`` (IsArray, ReadOnly, Correlation) are
written only when set, in the 2.x spelling ``true`` (1.0 wrote ``TRUE``).
"""

from __future__ import annotations

from lxml import etree

from wfengine.definition.model import (
    DEPRECATED_NS,
    WFENGINE_NS,
    Application,
    ArrayType,
    BasicType,
    DataField,
    DataType,
    DeclaredType,
    EnumerationType,
    ExternalPackage,
    ExternalReference,
    FormalParameter,
    ListType,
    Participant,
    RecordType,
    SchemaType,
    TypeDeclaration,
    UnionType,
)
from wfengine.definition.xpdl.kept import UNSET_INDEXES
from wfengine.definition.xpdl.write_keys import ParamsKey
from wfengine.definition.xpdl.write_xml import (
    Element,
    append_extras,
    append_xmlnodes,
    expression_child,
    extended_attributes,
    own,
    q,
    set_attrs,
    set_extra_attrs,
    sub,
    text_child,
    true_or_none,
)


def data_type(parent: Element, dt: DataType) -> None:
    """Append one member of the schema's ``DataTypes`` choice (BasicType, DeclaredType, ...)."""
    if isinstance(dt, BasicType):
        basic = sub(parent, "BasicType", Type=dt.type.value)
        set_extra_attrs(basic, dt.extra_attrs)
        for local, value in (
            ("Length", dt.length),
            ("Precision", dt.precision),
            ("Scale", dt.scale),
        ):
            if value is not None:
                sub(basic, local, str(value))
    elif isinstance(dt, DeclaredType):
        set_extra_attrs(sub(parent, "DeclaredType", Id=dt.id, Name=dt.name), dt.extra_attrs)
    elif isinstance(dt, SchemaType):
        append_xmlnodes(sub(parent, "SchemaType"), dt.content)
    elif isinstance(dt, ExternalReference):
        external_reference(parent, dt)
    elif isinstance(dt, RecordType | UnionType):
        container = sub(parent, "RecordType" if isinstance(dt, RecordType) else "UnionType")
        for member in dt.members:
            data_type(sub(container, "Member"), member)
    elif isinstance(dt, EnumerationType):
        enumeration = sub(parent, "EnumerationType")
        for name in dt.values:
            sub(enumeration, "EnumerationValue", Name=name)
    elif isinstance(dt, ArrayType):
        _array_type(parent, dt)
    elif isinstance(dt, ListType):
        data_type(sub(parent, "ListType"), dt.element)


def _array_type(parent: Element, dt: ArrayType) -> None:
    """``ArrayType``. LowerIndex and UpperIndex are required by the schema: an index the model
    has none of is written ``0`` so the document stays schema-valid, and named in
    ``wfe:unset`` (:data:`~wfengine.definition.xpdl.kept.UNSET_INDEXES`) so that it reads back
    as none, not as a one-element array."""
    indexes = {"LowerIndex": dt.lower_index, "UpperIndex": dt.upper_index}
    array = sub(parent, "ArrayType", **{k: v if v is not None else "0" for k, v in indexes.items()})
    unset = [name for name, value in indexes.items() if value is None]
    if unset:
        array.set(UNSET_INDEXES, " ".join(unset))
    data_type(array, dt.element)


def external_reference(
    parent: Element, ref: ExternalReference, *, own_namespace: bool = False
) -> None:
    """``ExternalReference``; ``own_namespace`` writes ``wfe:ExternalReference`` instead.

    The wfengine-namespace form is for an Application that also has FormalParameters, where
    the schema allows only one of the two (see :func:`applications`).
    """
    attrs = {"location": ref.location, "xref": ref.xref, "namespace": ref.namespace}
    if own_namespace:
        element = own(parent, "ExternalReference", **attrs)
    else:
        element = sub(parent, "ExternalReference", **attrs)
    set_extra_attrs(element, ref.extra_attrs)


def data_fields(parent: Element, fields: tuple[DataField, ...]) -> None:
    if not fields:
        return
    wrapper = sub(parent, "DataFields")
    for field in fields:
        element = sub(
            wrapper,
            "DataField",
            Id=field.id,
            Name=field.name,
            ReadOnly=true_or_none(field.read_only),
            IsArray=true_or_none(field.is_array),
            Correlation=true_or_none(field.correlation),
        )
        set_extra_attrs(element, field.extra_attrs)
        data_type(sub(element, "DataType"), field.data_type)
        expression_child(element, "InitialValue", field.initial_value, field.initial_value_attrs)
        text_child(element, "Length", field.length)
        text_child(element, "Description", field.description)
        extended_attributes(element, field.extended_attributes)
        append_extras(element, field.extras)


def formal_parameters(
    parent: Element, params: tuple[FormalParameter, ...], *, legacy: bool = False
) -> None:
    """``FormalParameters``; ``legacy`` writes 1.0 ``deprecated:FormalParameter`` elements.

    :mod:`write_keys` decides when the 1.0 form is needed (Ids the 2.2 keys would reject).
    """
    if not params:
        return
    wrapper = sub(parent, "FormalParameters")
    for param in params:
        if legacy:
            _formal_parameter_10(wrapper, param)
            continue
        element = sub(
            wrapper,
            "FormalParameter",
            Id=param.id,
            Mode=param.mode.value,
            Name=param.name,
            IsArray=true_or_none(param.is_array),
        )
        if param.index is not None:
            # XPDL 1.0's positional Index has no 2.2 attribute; it is kept in wfengine's own
            # namespace (the schema lets any foreign attribute through) rather than dropped.
            element.set(q("Index", WFENGINE_NS), param.index)
        set_extra_attrs(element, param.extra_attrs)
        data_type(sub(element, "DataType"), param.data_type)
        expression_child(element, "InitialValue", param.initial_value, param.initial_value_attrs)
        text_child(element, "Description", param.description)
        append_extras(element, param.extras)


def _formal_parameter_10(wrapper: Element, param: FormalParameter) -> None:
    """A 1.0 FormalParameter: children are created in the 1.0 namespace by ``sub``."""
    element = etree.SubElement(wrapper, q("FormalParameter", DEPRECATED_NS))
    set_attrs(element, (("Id", param.id), ("Index", param.index), ("Mode", param.mode.value)))
    data_type(sub(element, "DataType"), param.data_type)
    text_child(element, "Description", param.description)


def participants(parent: Element, items: tuple[Participant, ...]) -> None:
    if not items:
        return
    wrapper = sub(parent, "Participants")
    for p in items:
        element = sub(wrapper, "Participant", Id=p.id, Name=p.name)
        set_extra_attrs(element, p.extra_attrs)
        sub(element, "ParticipantType", Type=p.type.value)
        text_child(element, "Description", p.description)
        if p.external_reference is not None:
            external_reference(element, p.external_reference)
        extended_attributes(element, p.extended_attributes)
        append_extras(element, p.extras)


def applications(
    parent: Element,
    items: tuple[Application, ...],
    legacy: frozenset[ParamsKey] = frozenset(),
    process_id: str | None = None,
) -> None:
    """``Applications`` of the package (``process_id`` None) or of one process."""
    if not items:
        return
    wrapper = sub(parent, "Applications")
    for app in items:
        element = sub(wrapper, "Application", Id=app.id, Name=app.name)
        set_extra_attrs(element, app.extra_attrs)
        text_child(element, "Description", app.description)
        if app.type is not None:
            append_xmlnodes(element, (app.type,))
        # The schema wants FormalParameters or ExternalReference here (a choice; both may be
        # absent). No valid source gives both, but a model built in code may: then the
        # parameters stay XPDL (the engine binds actual parameters against them) and the
        # reference is kept as wfe:ExternalReference in the trailing wildcard.
        legacy_form = (process_id, app.id) in legacy
        formal_parameters(element, app.formal_parameters, legacy=legacy_form)
        if app.external_reference is not None:
            external_reference(
                element, app.external_reference, own_namespace=bool(app.formal_parameters)
            )
        extended_attributes(element, app.extended_attributes)
        append_extras(element, app.extras)


def type_declarations(parent: Element, items: tuple[TypeDeclaration, ...]) -> None:
    if not items:
        return
    wrapper = sub(parent, "TypeDeclarations")
    for decl in items:
        element = sub(wrapper, "TypeDeclaration", Id=decl.id, Name=decl.name)
        set_extra_attrs(element, decl.extra_attrs)
        data_type(element, decl.data_type)
        text_child(element, "Description", decl.description)
        extended_attributes(element, decl.extended_attributes)
        append_extras(element, decl.extras)


def external_packages(parent: Element, items: tuple[ExternalPackage, ...]) -> None:
    if not items:
        return
    wrapper = sub(parent, "ExternalPackages")
    for ext in items:
        element = sub(wrapper, "ExternalPackage", href=ext.href, Id=ext.id, Name=ext.name)
        set_extra_attrs(element, ext.extra_attrs)
        extended_attributes(element, ext.extended_attributes)
        append_extras(element, ext.extras)
