"""A call's actual parameters against the formal parameters they meet: their count, and an
actual for an OUT or INOUT formal naming a variable that receives the value (the checks of
tool calls and subflows alike, :mod:`.references`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from wfengine.definition.checks.context import Context, Scope, is_plain_name
from wfengine.definition.checks.parameter_types import type_findings
from wfengine.definition.checks.readings import listed, quote
from wfengine.definition.diagnostics import Diagnostic, Severity, make
from wfengine.definition.model import (
    XPDL_NAMESPACES,
    Activity,
    FormalParameter,
    ParameterMode,
    XmlNode,
)
from wfengine.definition.reading import name_aliases

__all__ = ["call_parameters"]


def call_parameters(
    ctx: Context,
    scope: Scope,
    activity: Activity,
    callee: str,
    formals: Sequence[FormalParameter],
    actuals: Sequence[str],
    line: int | None,
    *,
    receives: bool = True,
    extras: Sequence[XmlNode] = (),
) -> Iterator[Diagnostic]:
    """Count and mode checks of one call's actual parameters against the callee's formals.

    An actual for an OUT or INOUT formal receives a value, so it must name a variable of the
    caller: a data field or formal parameter of the process or package. A call that receives
    nothing (``receives`` False: an asynchronous subflow, whose OUT/INOUT values never come back,
    as its own warning says) passes any expression to an INOUT formal (its value goes in), which
    was refused "to receive the result" beside that warning; its actual for an OUT formal is never
    used, and an expression there is a warning saying so. A data field whose type does not agree
    with its formal's is a warning (:mod:`.parameter_types`).

    Only a call whose counts agree is checked pair by pair: with an actual too few or too
    many, which formal each actual was meant for is not known (the engine binds none of
    them), and findings on the pairs position gives would name the wrong ones. A call whose
    XPDL 2.1 DataMappings could not be read as its actuals keeps them in ``extras`` (the
    reader's ``xpdl-unreadable`` says why) and passes none: the count finding then says what
    the mappings map rather than "passes 0".
    """
    if len(actuals) != len(formals):
        mappings = _data_mappings(extras) if not actuals else None
        passes = (
            f"passes {len(actuals)} actual parameter(s) to {callee}, which declares "
            f"{len(formals)} formal parameter(s)"
            if mappings is None
            else _mapping_count(mappings, callee, formals)
        )
        yield make(
            "parameter-count",
            f"activity {activity.id!r} in {scope.where} {passes}",
            element_id=activity.id,
            line=line,
        )
        return
    names = ctx.data_names(scope.process, activity)
    names.update(name_aliases(ctx.package, scope.process))
    for formal, actual in zip(formals, actuals, strict=True):
        if formal.mode is ParameterMode.IN or (not receives and formal.mode is ParameterMode.INOUT):
            continue
        text = actual.strip()
        if not receives:  # (an OUT formal of a call that returns nothing: its actual is unused)
            if text and not is_plain_name(text):
                yield make(
                    "parameter-mode",
                    f"activity {activity.id!r} in {scope.where} passes {actual!r} for the OUT "
                    f"parameter {formal.id!r} of {callee}, which starts asynchronously: an OUT "
                    "parameter takes no value in and gives none back, so the expression is "
                    "never evaluated (make the parameter INOUT to pass it in)",
                    element_id=activity.id,
                    line=line,
                    severity=Severity.WARNING,
                )
            continue
        if not is_plain_name(text):
            yield make(
                "parameter-mode",
                f"activity {activity.id!r} in {scope.where} passes {actual!r} for the "
                f"{formal.mode} parameter {formal.id!r} of {callee}; it must be the name of a "
                "data field or formal parameter to receive the result",
                element_id=activity.id,
                line=line,
            )
        elif text not in names:
            yield make(
                "undefined-data-field",
                f"activity {activity.id!r} in {scope.where} passes {text!r} for the "
                f"{formal.mode} parameter {formal.id!r} of {callee}, but {text!r} is no data "
                f"field or formal parameter of the process or package{_named(ctx, scope, text)}",
                element_id=activity.id,
                line=line,
            )
    yield from type_findings(ctx, scope, activity, callee, formals, actuals, line)


def _data_mappings(extras: Sequence[XmlNode]) -> XmlNode | None:
    """The XPDL ``DataMappings`` kept in a call's ``extras``, if any."""
    for node in extras:
        if node.local_name == "DataMappings" and node.namespace in (None, *XPDL_NAMESPACES):
            return node
    return None


def _mapping_count(mappings: XmlNode, callee: str, formals: Sequence[FormalParameter]) -> str:
    """What a call's unread DataMappings map of ``formals``: ``maps 1 of the 2 formal
    parameters of application 'calc' ('log' is not mapped) ...``."""
    named = [
        (m.get("Formal") or "").strip()
        for m in mappings.children
        if m.local_name == "DataMapping" and m.namespace in (None, *XPDL_NAMESPACES)
    ]
    ids = [f.id for f in formals]
    missing = [quote(i) for i in ids if i not in named]
    unknown = [quote(n) for n in dict.fromkeys(named) if n not in ids]
    why = []
    if missing:
        why.append(f"{listed(missing)} {'is' if len(missing) == 1 else 'are'} not mapped")
    if unknown:
        why.append(f"{listed(unknown)} {'names' if len(unknown) == 1 else 'name'} no formal")
    if not why:  # (a Direction or a second mapping a call cannot say)
        why.append("the xpdl-unreadable warning on them says why they cannot be read")
    mapped = len(set(named) & set(ids))
    return (
        f"maps {mapped} of the {len(formals)} formal parameter(s) of {callee} in its "
        f"DataMappings ({'; '.join(why)}); a call gives every formal parameter one actual "
        "parameter, so these mappings pass none"
    )


def _named(ctx: Context, scope: Scope, name: str) -> str:
    """A hint when ``name`` is a data field's Name that more than one field carries."""
    carriers = [
        data_field.id
        for data_field in (*scope.process.data_fields, *ctx.package.data_fields)
        if data_field.name == name
    ]
    if len(carriers) > 1:
        return f" (data fields {carriers} are all named {name!r}; refer to one by its Id)"
    return ""
