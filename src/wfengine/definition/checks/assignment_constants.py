"""``assignment-type`` (a warning): an assignment of a constant its target can never hold.

A script task's assignment or an XPDL 2.x ``Assignment`` whose expression is a constant (it
names no field and does not ask the clock: :func:`~.initial_values.constant_value`, as an
initial value is judged) writes the same value every time. The engine checks what is written
by the target's declared type, converting where nothing is lost (``"7"`` into an INTEGER is
7, a number into a STRING its text; a number in text is ASCII digits only, so ``"1_000"`` and
``"١٢"`` are none), and this check judges by that same conversion
(:func:`~wfengine.definition.coercion.coerce`). So a value that neither is nor converts to
one (``"abc"`` into an INTEGER, ``2.5`` into an INTEGER, ``"maybe"`` into a BOOLEAN, a text
that is none of an enumeration's values) stops every instance reaching it with an incident.
Judged as a constant initial value is (``initial-value-type``), but a warning, as other
texts instances stop at with an incident are (``loop-count``, ``script-unsupported``): the
rest of the process runs, and the engine's incident stays its defence.

Only the types whose conversions are plain are judged: STRING, INTEGER, FLOAT, BOOLEAN and
enumerations, single values (a field holding a list only when the value is no list at all).
The target's type is the one the engine checks by: a formal parameter's over a field's, the
process's field over the package's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from wfengine.definition.checks.context import Context
from wfengine.definition.checks.initial_values import UNKNOWN, constant_value
from wfengine.definition.checks.instance_data_field import fields_by_id
from wfengine.definition.checks.readings import quote
from wfengine.definition.coercion import converts
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import (
    Activity,
    BasicType,
    BasicTypeKind,
    DataField,
    DataType,
    EnumerationType,
    FormalParameter,
    TaskImplementation,
    TaskKind,
)
from wfengine.definition.reading import (
    declared_types,
    holds_list,
    name_aliases,
    read_expression,
    resolved_type,
)
from wfengine.definition.scripts import activity_assignments, parse_assignments


def check_assignment_constants(ctx: Context) -> Iterator[Diagnostic]:
    """One warning per assignment of a constant its target's type refuses."""
    types = declared_types(ctx.package)
    for scope in ctx.scopes:
        process = scope.process
        aliases = name_aliases(ctx.package, process)
        targets = fields_by_id(ctx, process)
        for activity in scope.activities:
            for name, text, what, line in _assignments(ctx, activity):
                target = targets.get(aliases.get(name, name))
                if target is None:
                    continue
                why = _refused(ctx, text, target, types, aliases)
                if why is not None:
                    yield make(
                        "assignment-type",
                        f"activity {activity.id!r} in {scope.where} assigns "
                        f"{quote(text.strip())} to {name!r} in {what}: {why}; every instance "
                        "reaching it stops with an incident",
                        element_id=activity.id,
                        line=line if line is not None else activity.line,
                    )


def _assignments(ctx: Context, activity: Activity) -> Iterator[tuple[str, str, str, int | None]]:
    """(target, expression, where in the activity, line) of each assignment it makes."""
    body = activity.body
    if isinstance(body, TaskImplementation) and body.task is TaskKind.SCRIPT and body.script:
        for name, text in parse_assignments(body.script, ctx.language) or ():
            yield name, text, "its script", body.line
    for n, assignment in enumerate(activity_assignments(activity)):
        if assignment.target.isidentifier():  # (else assignment-target)
            yield assignment.target, assignment.expression, f"assignment {n + 1}", assignment.line


def _refused(
    ctx: Context,
    text: str,
    target: DataField | FormalParameter,
    types: Mapping[str, DataType],
    aliases: Mapping[str, str],
) -> str | None:
    """Why the constant ``text`` is no value of ``target``'s type; None when it is one, it
    converts to one, or that is not known here."""
    if not text.strip():
        return None
    value, failure = constant_value(read_expression(text, ctx.language, aliases))
    if failure is not None or value is UNKNOWN or value is None:
        return None
    if holds_list(target, types):
        if isinstance(value, list | tuple):
            return None
        return f"{value!r} is not a list, and {target.id!r} holds a list"
    data_type = resolved_type(target.data_type, types)
    if isinstance(data_type, EnumerationType) and data_type.values:
        if isinstance(value, str) and value in data_type.values:
            return None
        return f"{value!r} is none of the values of {target.id!r}'s enumeration"
    if isinstance(data_type, BasicType) and not _converts(value, data_type.type):
        return f"{value!r} is no {data_type.type.value}, nor converts to one"
    return None


#: the kinds judged here, those whose conversions are plain (see the module's note)
_JUDGED = frozenset(
    {BasicTypeKind.STRING, BasicTypeKind.INTEGER, BasicTypeKind.FLOAT, BasicTypeKind.BOOLEAN}
)


def _converts(value: Any, kind: BasicTypeKind) -> bool:
    """Whether the engine takes ``value`` for ``kind``; True for the kinds not judged here.

    Judged by the very :func:`~wfengine.definition.coercion.coerce` the engine checks an
    assignment by (as ``initial-value-type`` is): rules of its own here took ``'1_000'`` for
    a FLOAT and ``'١٢'`` for an INTEGER, which validated clean and stopped every instance."""
    return kind not in _JUDGED or converts(value, kind)
