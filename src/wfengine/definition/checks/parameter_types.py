"""Whether a call's actual parameters and the formal parameters they meet agree in type.

A value crossing a call is checked twice by the engine: by the formal parameter's declared type
and by the declared type of the data field it comes from or goes to (an application's answer,
a subflow's result, as a script's assignment is). When the two types are such that some value
of the one is no value of the other (a STRING answer written to an INTEGER field, a BOOLEAN
field passed for a STRING parameter), the instance stops with an incident on such a value:
``parameter-type`` warns of it where the definition is read (see ``docs/diagnostics.md``).

Only an actual parameter that is a plain name of a data field or formal parameter of the
process or package is looked at (the type of an expression is not known before it runs), and
only types the engine checks values by: XPDL basic types, enumerations, lists of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from wfengine.definition.checks.context import Context, Scope, is_plain_name
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import (
    Activity,
    ArrayType,
    BasicType,
    BasicTypeKind,
    DataField,
    DataType,
    DeclaredType,
    EnumerationType,
    FormalParameter,
    ListType,
    ParameterMode,
)
from wfengine.definition.reading import declared_types, name_aliases

#: what values are checked by: a basic type or an enumeration's texts, and whether a list
Kind = tuple[BasicTypeKind | frozenset[str], bool]

#: (from, to): every value of the first basic type is taken by the second (converted where
#: that loses nothing: a number written as text, a participant id as text)
_WIDENS = frozenset(
    {
        (BasicTypeKind.INTEGER, BasicTypeKind.FLOAT),
        (BasicTypeKind.INTEGER, BasicTypeKind.STRING),
        (BasicTypeKind.FLOAT, BasicTypeKind.STRING),
        (BasicTypeKind.PERFORMER, BasicTypeKind.STRING),
        (BasicTypeKind.STRING, BasicTypeKind.PERFORMER),
        # a date is taken as its midnight UTC (wfengine.definition.coercion._datetime)
        (BasicTypeKind.DATE, BasicTypeKind.DATETIME),
    }
)
#: basic types an enumeration's texts are always values of
_TEXT = frozenset({BasicTypeKind.STRING, BasicTypeKind.PERFORMER})


def type_findings(
    ctx: Context,
    scope: Scope,
    activity: Activity,
    callee: str,
    formals: Sequence[FormalParameter],
    actuals: Sequence[str],
    line: int | None,
) -> Iterator[Diagnostic]:
    """``parameter-type`` warnings for one call: each pair of a formal parameter and a data
    field named as its actual whose types do not agree in the direction values go. None for
    a call whose counts differ (``parameter-count``'s): which formal each actual was meant
    for is not known, and pairing them by position would name the wrong ones."""
    if len(formals) != len(actuals):
        return
    types = declared_types(ctx.package)
    fields = _fields(ctx, scope)
    for formal, actual in zip(formals, actuals, strict=True):
        text = actual.strip()
        if not is_plain_name(text):
            continue
        item = fields.get(text)
        formal_kind = value_kind(formal.data_type, formal.is_array, types)
        if item is None or formal_kind is None:
            continue
        field_kind = value_kind(item.data_type, item.is_array, types)
        if field_kind is None:
            continue
        mode = formal.mode
        if mode is not ParameterMode.IN and not _takes(field_kind, formal_kind):
            yield _finding(
                f"activity {activity.id!r} in {scope.where} writes the {mode} parameter "
                f"{formal.id!r} of {callee} ({kind_name(formal_kind)}) to {text!r} "
                f"({kind_name(field_kind)})",
                text,
                activity,
                line,
            )
        elif mode is not ParameterMode.OUT and not _takes(formal_kind, field_kind):
            yield _finding(
                f"activity {activity.id!r} in {scope.where} passes {text!r} "
                f"({kind_name(field_kind)}) for the {mode} parameter {formal.id!r} of {callee} "
                f"({kind_name(formal_kind)})",
                formal.id,
                activity,
                line,
            )


def _finding(what: str, taker: str, activity: Activity, line: int | None) -> Diagnostic:
    return make(
        "parameter-type",
        f"{what}: the types do not agree, and a value {taker!r} cannot take stops the instance "
        "with an incident",
        element_id=activity.id,
        line=line,
    )


def _fields(ctx: Context, scope: Scope) -> dict[str, DataField | FormalParameter]:
    """The fields and formal parameters the engine checks values of, by Id (the process's
    own win over the package's) and by a Name that stands for one (``name_aliases``)."""
    items: list[DataField | FormalParameter] = [
        *ctx.package.data_fields,
        *scope.process.data_fields,
        *scope.process.formal_parameters,
    ]
    found = {item.id: item for item in items}
    for alias, item_id in name_aliases(ctx.package, scope.process).items():
        if item_id in found:
            found.setdefault(alias, found[item_id])
    return found


def value_kind(
    data_type: DataType, is_array: bool, types: Mapping[str, DataType], depth: int = 0
) -> Kind | None:
    """What values of ``data_type`` are checked by; None for types whose values are not
    checked (records, schemas, an undefined declared type...) and REFERENCE (opaque)."""
    if depth > 8:
        return None
    if isinstance(data_type, BasicType):
        if data_type.type is BasicTypeKind.REFERENCE:
            return None
        return data_type.type, is_array
    if isinstance(data_type, EnumerationType):
        return (frozenset(data_type.values), is_array) if data_type.values else None
    if isinstance(data_type, DeclaredType):
        inner = types.get(data_type.id)
        return None if inner is None else value_kind(inner, is_array, types, depth + 1)
    if isinstance(data_type, ArrayType | ListType):
        return value_kind(data_type.element, True, types, depth + 1)
    return None


def _takes(taker: Kind, given: Kind) -> bool:
    """Every value of ``given`` is a value of ``taker``."""
    (want, want_list), (have, have_list) = taker, given
    if want_list != have_list:
        return False
    if want == have:
        return True
    if isinstance(want, frozenset):
        return isinstance(have, frozenset) and have <= want
    if isinstance(have, frozenset):
        return want in _TEXT
    return (have, want) in _WIDENS


def kind_name(kind: Kind) -> str:
    what, listed = kind
    if isinstance(what, frozenset):
        shown = ", ".join(map(repr, sorted(what)[:5])) + (", ..." if len(what) > 5 else "")
        name = f"an enumeration of {shown}"
    else:
        name = what.value
    return f"a list of {name}" if listed else name
