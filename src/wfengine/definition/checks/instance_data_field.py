"""The field a SubFlow keeps the called instance's id in (XPDL 2.x ``InstanceDataField``).

The engine writes the id of the instance a subflow starts (a text, such as ``pi-2``) into that
field of the caller, to correlate with it later (an asynchronous one above all). A field whose
declared type holds no such text can never take it:

* ``instance-data-field`` (error): the InstanceDataField names a declared field or formal
  parameter whose type the engine checks values by and that is no text: INTEGER, FLOAT,
  BOOLEAN, a date or time, an enumeration, a list. Unchecked, the id was written into it all
  the same, and the next write of the caller's data that carried the value back (a person
  completing work with the data as they found it) was refused. Deploy refuses the process
  (it validates first); a deployment an earlier wfengine stored stops at such a subflow with
  an incident, nothing started and nothing written (:data:`TEXT_KINDS` is that rule too).

STRING, PERFORMER (a text) and REFERENCE (opaque) fields take the id. Types whose values the
engine does not check (records, schemas, a declared type naming no TypeDeclaration, an
enumeration with no values) are not judged, as the engine does not judge them either. A name
that is no declared field is ``undefined-data-field`` (a warning, :mod:`.references`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.field_names import package_fields
from wfengine.definition.model import (
    ArrayType,
    BasicType,
    BasicTypeKind,
    DataField,
    DataType,
    EnumerationType,
    FormalParameter,
    ListType,
    SubFlowImplementation,
    WorkflowProcess,
)
from wfengine.definition.reading import declared_types, name_aliases, resolved_type

#: the basic types whose values are texts the engine takes as they are: those an instance id
#: may be kept in (REFERENCE: opaque, anything)
TEXT_KINDS = frozenset({BasicTypeKind.STRING, BasicTypeKind.PERFORMER, BasicTypeKind.REFERENCE})


def id_field_problem(
    item: DataField | FormalParameter, types: Mapping[str, DataType]
) -> str | None:
    """What ``item``'s type is, when it cannot hold an instance id; None when it can, or
    when its values are not checked (see the module notes)."""
    if item.is_array:
        return "a list"
    data_type = resolved_type(item.data_type, types)
    if isinstance(data_type, ArrayType | ListType):
        return "a list"
    if isinstance(data_type, BasicType):
        return None if data_type.type in TEXT_KINDS else data_type.type.value
    if isinstance(data_type, EnumerationType) and data_type.values:
        return "an enumeration"
    return None


def fields_by_id(ctx: Context, process: WorkflowProcess) -> dict[str, DataField | FormalParameter]:
    """The caller's fields and formal parameters by Id, as the engine checks values by them
    (the package's, then the process's own, then its formal parameters: later ones win)."""
    # a copy of the package's, worked out once: rebuilt per process it cost N x N
    found: dict[str, DataField | FormalParameter] = dict(package_fields(ctx.package))
    found.update({f.id: f for f in process.data_fields})
    found.update({f.id: f for f in process.formal_parameters})
    return found


def check_instance_data_field(ctx: Context) -> Iterator[Diagnostic]:
    """``instance-data-field``: a SubFlow keeps the called instance's id in a field that
    cannot hold it."""
    types = declared_types(ctx.package)
    for scope in ctx.scopes:
        declared: dict[str, DataField | FormalParameter] | None = None
        for activity in scope.activities:
            body = activity.body
            if not isinstance(body, SubFlowImplementation):
                continue
            keeps = (body.instance_data_field or "").strip()
            if not keeps:
                continue
            if declared is None:
                declared = fields_by_id(ctx, scope.process)
            name = name_aliases(ctx.package, scope.process).get(keeps, keeps)
            item = declared.get(name)
            problem = id_field_problem(item, types) if item is not None else None
            if problem is None:
                continue
            yield make(
                "instance-data-field",
                f"activity {activity.id!r} in {scope.where} keeps the called instance's id in "
                f"{keeps!r} (InstanceDataField), which is {problem}: an instance id is a text "
                "(such as 'pi-2'); declare the field a STRING",
                element_id=activity.id,
                line=body.line if body.line is not None else activity.line,
            )
