"""``parameter-field-type`` (an error): a formal parameter and a data field of one Id whose
types differ.

Sharing the Id is fine (files do it: JaWE and zope.wfmc declare a process's parameters again
as fields; it is how a parameter gets a field's extras), but an instance holds one value per Id:
start data is checked as the parameter, the field's initial value written as the field, so an
INTEGER parameter ends up holding the field's text ``"abc"``. The builder refuses exactly this
(``check_same_types``); a file loaded from XPDL gets the same answer here, and deploy refuses
it as it refuses every error.

Types are compared by what the engine checks values by (a basic type, an enumeration's values,
list or single: a declared type by what it declares), so a ``Length`` written on one and not
the other, or a declared type naming the same basic type, is no difference. Types the engine
does not check values of (records, schemas, REFERENCE, an undefined declared type) are not
judged. The field is the process's own of that Id, else the package's.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context
from wfengine.definition.checks.parameter_types import kind_name, value_kind
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.field_names import package_fields
from wfengine.definition.reading import declared_types


def check_formal_field_types(ctx: Context) -> Iterator[Diagnostic]:
    """One error per formal parameter of a process that a data field of another type shares
    its Id with."""
    types = declared_types(ctx.package)
    for process in ctx.processes:
        if not process.formal_parameters:
            continue
        # the package's fields looked up where they are, not copied per process (N x N)
        own = {f.id: f for f in process.data_fields}
        fields = package_fields(ctx.package)
        for formal in process.formal_parameters:
            field = own[formal.id] if formal.id in own else fields.get(formal.id)
            if field is None:
                continue
            formal_kind = value_kind(formal.data_type, formal.is_array, types)
            field_kind = value_kind(field.data_type, field.is_array, types)
            if formal_kind is None or field_kind is None or formal_kind == field_kind:
                continue
            owner = "process" if any(f is field for f in process.data_fields) else "package"
            yield make(
                "parameter-field-type",
                f"{formal.id!r} in process {process.id!r} is a formal parameter of type "
                f"{kind_name(formal_kind)} and a data field of the {owner} of type "
                f"{kind_name(field_kind)}: an instance holds one value for both (start data "
                "is checked as the parameter, the field's initial value written as the field); "
                "give both the same type, or rename one",
                element_id=formal.id,
                line=formal.line if formal.line is not None else process.line,
            )
