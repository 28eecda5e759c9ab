"""Which formal-parameter lists are written in the 1.0 form to satisfy the 2.2 identity keys.

Why this exists: the XPDL 2.2 schema declares package-wide keys that 1.0 and 2.1 did not have.
``ItemAware.Package`` makes every ``xpdl:DataField`` and ``xpdl:FormalParameter`` Id unique in
the whole package, and ``FormalParameter.WorkflowProcess`` every formal parameter in a process,
the parameters of the process's applications included. XPDL 1.0 files routinely give an
application's parameters the names of the data fields they are bound to, and a process
parameter the name of a data field; written naively, such a file becomes invalid 2.2.

The 2.2 schema itself offers the way out: ``FormalParameters`` accepts the 1.0 element
``deprecated:FormalParameter``, which those keys (selecting ``xpdl:FormalParameter``) do not
cover. So a parameter list whose Ids would clash is written in the 1.0 form, provided the 1.0
form can say everything the model holds (no Name, InitialValue, IsArray, 2.x-only type or
extension content); otherwise it stays 2.2 and the clash is reported by schema validation as it
would be for any file. Data fields always keep the 2.2 form (the process-level 1.0 form would
drag Participants and Applications along), and they claim their Ids first; then process
parameters, then application parameters, so the process interface stays 2.2 where possible.
"""

from __future__ import annotations

from wfengine.definition.model import (
    ArrayType,
    BasicType,
    BasicTypeKind,
    DataType,
    DeclaredType,
    ExternalReference,
    FormalParameter,
    ListType,
    Package,
    RecordType,
    UnionType,
)

#: (process Id or None for the package, application Id or None for the process's own list)
ParamsKey = tuple[str | None, str | None]

_BASIC_TYPES_10 = frozenset(BasicTypeKind) - {BasicTypeKind.DATE, BasicTypeKind.TIME}


def legacy_parameter_lists(package: Package) -> frozenset[ParamsKey]:
    """The parameter lists to write as ``deprecated:FormalParameter`` elements."""
    claimed: set[str] = set()
    for field in package.data_fields:
        claimed.add(field.id)
    for process in package.workflow_processes:
        claimed.update(f.id for f in process.data_fields)
        for activity in process.activities:
            claimed.update(f.id for f in activity.data_fields)
        for activity_set in process.activity_sets:
            for activity in activity_set.activities:
                claimed.update(f.id for f in activity.data_fields)

    lists: list[tuple[ParamsKey, tuple[FormalParameter, ...]]] = [
        ((p.id, None), p.formal_parameters) for p in package.workflow_processes
    ]
    lists += [((None, a.id), a.formal_parameters) for a in package.applications]
    for process in package.workflow_processes:
        lists += [((process.id, a.id), a.formal_parameters) for a in process.applications]

    legacy: set[ParamsKey] = set()
    for key, params in lists:
        ids = [p.id for p in params]
        clashes = len(set(ids)) < len(ids) or any(i in claimed for i in ids)
        if clashes and all(fits_10(p) for p in params):
            legacy.add(key)
        else:
            claimed.update(ids)
    return frozenset(legacy)


def fits_10(param: FormalParameter) -> bool:
    """True when the XPDL 1.0 FormalParameter (Id, Mode, Index, DataType, Description) says all."""
    return (
        param.name is None
        and param.initial_value is None
        and not param.is_array
        and not param.extras
        and not param.extra_attrs
        and _type_fits_10(param.data_type)
    )


def _type_fits_10(data_type: DataType) -> bool:
    """True when the 1.0 type elements can say it all.

    1.0 has no DATE or TIME, no Length/Precision/Scale, no DeclaredType Name, and no element
    of it accepts foreign attributes.
    """
    if isinstance(data_type, BasicType):
        return data_type.type in _BASIC_TYPES_10 and (
            data_type.length is None
            and data_type.precision is None
            and data_type.scale is None
            and not data_type.extra_attrs
        )
    if isinstance(data_type, DeclaredType):
        return data_type.name is None and not data_type.extra_attrs
    if isinstance(data_type, ExternalReference):
        return not data_type.extra_attrs
    if isinstance(data_type, RecordType | UnionType):
        return all(_type_fits_10(m) for m in data_type.members)
    if isinstance(data_type, ArrayType | ListType):
        return _type_fits_10(data_type.element)
    return True
