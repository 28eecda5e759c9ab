"""Loop-counter checks: the data field a loop counts its iterations in.

A loop's counter that is no integer (:func:`~wfengine.definition.model_activities.counter_field`)
names the data field the engine sets before each iteration to the count of iterations before
it (a multi-instance activity: to the instance's index). That field must hold an integer:

* ``loop-counter`` (error): the counter names a declared field or formal parameter whose type
  is not INTEGER (a STRING, a FLOAT, an enumeration, a record, a list): the engine would write
  an integer into it; deploy refuses it (:func:`counter_problem`, which the compiler asks too).
  A type that is not known (a DeclaredType naming no TypeDeclaration, an ExternalReference) is
  not judged;
* ``undefined-data-field`` (a warning): the counter names no declared field; the instance gets
  it as undeclared data (as a SubFlow's ``InstanceDataField`` that names none).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from wfengine.definition.checks.context import Context, Scope
from wfengine.definition.diagnostics import Diagnostic, Severity, make
from wfengine.definition.model import (
    Activity,
    ArrayType,
    BasicType,
    BasicTypeKind,
    DataField,
    DataType,
    EnumerationType,
    FormalParameter,
    ListType,
    RecordType,
    SchemaType,
    UnionType,
)
from wfengine.definition.reading import declared_types, resolved_type

#: the types that are known not to be an integer, as a message names them (an
#: ExternalReference's type is not known: its values are not checked, nor is it judged here)
_OTHER: dict[type, str] = {
    EnumerationType: "an enumeration",
    RecordType: "a record",
    UnionType: "a union",
    SchemaType: "a schema",
}


def _type_name(data_type: DataType, types: Mapping[str, DataType]) -> str | None:
    """What ``data_type`` is, for a message, when it is not an integer; None when it is one,
    or when it is not known (a declared type naming no TypeDeclaration: ``undefined-type``)."""
    resolved = resolved_type(data_type, types)
    if resolved is None:
        return None
    data_type = resolved
    if isinstance(data_type, BasicType):
        return None if data_type.type is BasicTypeKind.INTEGER else data_type.type.value
    if isinstance(data_type, ArrayType | ListType):
        return "a list"
    return _OTHER.get(type(data_type))


def counter_problem(item: DataField | FormalParameter, types: Mapping[str, DataType]) -> str | None:
    """Why ``item``, a loop's counter field, cannot hold the count; None when it can."""
    what = "a list" if item.is_array else _type_name(item.data_type, types)
    if what is None:
        return None
    return (
        f"its counter names {item.id!r}, which is {what}, not an INTEGER: the engine sets the "
        "counter field to each iteration's count (a multi-instance's index), an integer"
    )


def declared_items(
    package_fields: tuple[DataField, ...],
    process_fields: tuple[DataField, ...],
    formals: tuple[FormalParameter, ...],
) -> dict[str, DataField | FormalParameter]:
    """The fields and formal parameters a counter may name, by Id: the process's hide the
    package's."""
    found: dict[str, DataField | FormalParameter] = {f.id: f for f in package_fields}
    found.update({f.id: f for f in formals})
    found.update({f.id: f for f in process_fields})
    return found


def counter_findings(ctx: Context, scope: Scope, activity: Activity) -> Iterator[Diagnostic]:
    """``loop-counter`` and ``undefined-data-field`` for ``activity``'s loop counter."""
    loop = activity.loop
    field = loop.counter_field if loop is not None else None
    if loop is None or field is None:
        return
    process = scope.process
    items = declared_items(ctx.package.data_fields, process.data_fields, process.formal_parameters)
    items.update({f.id: f for f in activity.data_fields})
    where = f"the loop of activity {activity.id!r} in {scope.where}"
    line = loop.line if loop.line is not None else activity.line
    item = items.get(field)
    if item is None:
        yield make(
            "undefined-data-field",
            f"{where} counts its iterations in {field!r} (its LoopCounter), which is no data "
            "field or formal parameter of the process or package; the instance gets it as "
            "undeclared data",
            element_id=activity.id,
            line=line,
            severity=Severity.WARNING,
        )
        return
    problem = counter_problem(item, declared_types(ctx.package))
    if problem is not None:
        yield make("loop-counter", f"{where}: {problem}", element_id=activity.id, line=line)
